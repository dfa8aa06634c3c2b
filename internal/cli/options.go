package cli

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/lockdown-dev/lockdown/internal/collect"
	"github.com/lockdown-dev/lockdown/internal/engine"
	"github.com/lockdown-dev/lockdown/internal/findings"
)

// awsFlags are the options for reaching a live account.
type awsFlags struct {
	Profile                 string
	Region                  string
	MFAToken                string
	CredentialReportTimeout time.Duration
	AWSConfigDir            string
	Timeout                 time.Duration
	RequestTimeout          time.Duration
}

func (f *awsFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.Profile, "profile", "", "AWS shared-config profile (default: the SDK's default chain)")
	fs.StringVar(&f.Region, "region", "", "AWS region for the global API calls (IAM, STS, Account; default us-east-1); the regional sources read every enabled region")
	fs.StringVar(&f.MFAToken, "mfa-token", "", "MFA code for a profile with mfa_serial, instead of prompting")
	fs.DurationVar(&f.CredentialReportTimeout, "credential-report-timeout", 2*time.Minute, "how long to wait for IAM to generate the credential report")
	fs.StringVar(&f.AWSConfigDir, "aws-config-dir", "", "directory with the AWS CLI config and credentials files to check; must exist (default: the files the SDK reads: AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, ~/.aws)")
	fs.DurationVar(&f.Timeout, "timeout", collect.DefaultTimeout, "bound on the whole collection; sources still running then are NOT_ASSESSED")
	fs.DurationVar(&f.RequestTimeout, "request-timeout", collect.DefaultRequestTimeout, "bound on each attempt of each AWS request (retried within the retry budget)")
}

func (f *awsFlags) collectOptions() collect.Options {
	return collect.Options{
		Profile:                 f.Profile,
		Region:                  f.Region,
		MFAToken:                f.MFAToken,
		CredentialReportTimeout: f.CredentialReportTimeout,
		AWSConfigDir:            f.AWSConfigDir,
		Timeout:                 f.Timeout,
		RequestTimeout:          f.RequestTimeout,
		Getenv:                  os.Getenv,
		ToolVersion:             Version,
	}
}

// parseParams turns repeated key=value flags into engine parameters. The
// values stay text: the engine converts each to the type of the default
// its check declares (METADATA custom.params), so "abc" for a number is an
// error rather than a string Rego would compare wrongly.
func parseParams(kvs []string) (map[string]any, error) {
	params := map[string]any{}
	for _, kv := range kvs {
		k, v, ok := strings.Cut(kv, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, inputErr("--param %q: expected KEY=VALUE", kv)
		}
		params[k] = v
	}
	return params, nil
}

// engineErr maps an error from engine.New to the exit-code table: a bad
// --param, a broken --rules file or an unknown check is the user's input
// (exit 2); anything else in the built-in catalogue is a runtime error.
func engineErr(err error, userRules bool) error {
	var pe *engine.ParamError
	if errors.As(err, &pe) {
		if pe.Unknown {
			return inputErr("--param %s: unknown parameter (known: %s)", pe.Name, strings.Join(pe.Known, ", "))
		}
		return inputErr("--param %s=%s: %s (used by %s)", pe.Name, pe.Value, pe.Problem, pe.UsedBy)
	}
	if userRules {
		return asInput(err)
	}
	return asRuntime(err)
}

// splitIDs flattens repeated, comma-separated check ID flags.
func splitIDs(flag string, values []string) ([]string, error) {
	var out []string
	for _, v := range values {
		for _, id := range strings.Split(v, ",") {
			id = strings.TrimSpace(id)
			if id == "" {
				return nil, inputErr("--%s %q: empty check ID", flag, v)
			}
			out = append(out, id)
		}
	}
	return out, nil
}

// resolveIDs validates user check IDs with the engine (the one place IDs
// are checked) and names the flag in the error.
func resolveIDs(eng *engine.Engine, flag string, ids []string) ([]string, error) {
	canon, err := eng.ResolveChecks(ids)
	var ue *engine.UnknownCheckError
	if errors.As(err, &ue) {
		return nil, inputErr("--%s %s: unknown check ID (run `lockdown checks` to list them)", flag, quoteList(ue.IDs))
	}
	return canon, err
}

// selectChecks applies --check (nil: every check) and then --skip-check to
// the loaded checks. It returns the selected and skipped IDs, both sorted.
// Without --check, the audit runs the guide's checks (those with a guide
// step), the custom ones (--rules), and the checks of the frameworks asked
// for (--framework, in frameworkChecks): a framework's own checks (CIS and
// Security Hub thresholds, tags, Access Analyzer...) judge what the guide
// does not ask for, so they change an audit's verdict only when their
// framework is chosen. The checks left out are listed as skipped.
func selectChecks(eng *engine.Engine, checkFlags, skipFlags, frameworkChecks []string) (selected, skipped []string, err error) {
	include, err := splitIDs("check", checkFlags)
	if err != nil {
		return nil, nil, err
	}
	skip, err := splitIDs("skip-check", skipFlags)
	if err != nil {
		return nil, nil, err
	}
	if include, err = resolveIDs(eng, "check", include); err != nil {
		return nil, nil, err
	}
	if skip, err = resolveIDs(eng, "skip-check", skip); err != nil {
		return nil, nil, err
	}
	for _, c := range eng.Checks() {
		if (len(include) == 0 && runsByDefault(eng, c, frameworkChecks) || contains(include, c.ID)) && !contains(skip, c.ID) {
			selected = append(selected, c.ID)
		} else {
			skipped = append(skipped, c.ID)
		}
	}
	if len(selected) == 0 {
		return nil, nil, inputErr("--check/--skip-check leave no check to evaluate")
	}
	sort.Strings(selected)
	sort.Strings(skipped)
	return selected, skipped, nil
}

// runsByDefault says whether an audit without --check evaluates c.
func runsByDefault(eng *engine.Engine, c findings.Check, frameworkChecks []string) bool {
	if c.GuideStep != "" || contains(frameworkChecks, c.ID) {
		return true
	}
	info, _ := eng.Info(c.ID)
	return info.Custom
}

// outputSpec is one --output FORMAT=PATH.
type outputSpec struct {
	Format string
	Path   string
}

func parseOutputs(specs []string, known []string) ([]outputSpec, error) {
	var out []outputSpec
	for _, s := range specs {
		f, p, ok := strings.Cut(s, "=")
		if !ok || f == "" || p == "" {
			return nil, inputErr("--output %q: expected FORMAT=PATH (PATH - for stdout)", s)
		}
		if !contains(known, f) {
			return nil, inputErr("--output %q: unknown format %q (known: %s)", s, f, strings.Join(known, ", "))
		}
		out = append(out, outputSpec{Format: f, Path: p})
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func quoteList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
