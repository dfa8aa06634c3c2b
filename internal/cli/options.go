package cli

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/lockdown-dev/lockdown/internal/collect"
)

// awsFlags are the options for reaching a live account.
type awsFlags struct {
	Profile                 string
	Region                  string
	MFAToken                string
	CredentialReportTimeout time.Duration
	AWSConfigDir            string
}

func (f *awsFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.Profile, "profile", "", "AWS shared-config profile (default: the SDK's default chain)")
	fs.StringVar(&f.Region, "region", "", "AWS region for the API calls (IAM is global; default us-east-1)")
	fs.StringVar(&f.MFAToken, "mfa-token", "", "MFA code for a profile with mfa_serial, instead of prompting")
	fs.DurationVar(&f.CredentialReportTimeout, "credential-report-timeout", 2*time.Minute, "how long to wait for IAM to generate the credential report")
	fs.StringVar(&f.AWSConfigDir, "aws-config-dir", "", "directory with the AWS CLI config and credentials files to check (default ~/.aws)")
}

func (f *awsFlags) collectOptions() collect.Options {
	return collect.Options{
		Profile:                 f.Profile,
		Region:                  f.Region,
		MFAToken:                f.MFAToken,
		CredentialReportTimeout: f.CredentialReportTimeout,
		ToolVersion:             Version,
	}
}

// parseParams turns repeated key=value flags into engine parameters.
// Integers and booleans keep their type so Rego can compare them.
func parseParams(kvs []string) (map[string]any, error) {
	params := map[string]any{}
	for _, kv := range kvs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, inputErr("--param %q: expected KEY=VALUE", kv)
		}
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			params[k] = n
		} else if b, err := strconv.ParseBool(v); err == nil {
			params[k] = b
		} else {
			params[k] = v
		}
	}
	return params, nil
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
			return nil, inputErr("--output %q: expected FORMAT=PATH", s)
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
