package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/crypto/ssh"

	"github.com/lockdown-dev/lockdown/internal/evidence"
	"github.com/lockdown-dev/lockdown/internal/fileout"
	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/redact"
	"github.com/lockdown-dev/lockdown/internal/term"
	"github.com/lockdown-dev/lockdown/internal/waivers"
	"github.com/lockdown-dev/lockdown/report"
)

// evidencePlan is the bundle an audit writes, prepared before any
// collection: the destination is checked, the key loaded and the input
// files read, once. The audit is evaluated with the very bytes the bundle
// holds.
type evidencePlan struct {
	dest     string
	signer   ssh.Signer
	waivers  []byte
	baseline []byte
	rules    [][]evidence.Content // per --rules directory, paths relative to it
}

// planEvidence checks --evidence and --sign-key; nil without --evidence.
func planEvidence(o *auditOptions, p *auditPlan) (*evidencePlan, error) {
	if o.Evidence == "" {
		if o.SignKey != "" {
			return nil, inputErr("--sign-key signs an evidence bundle; name one with --evidence")
		}
		return nil, nil
	}
	if p.outputs.stdoutFormat == inputFormat {
		return nil, inputErr("--evidence bundles reports; --format input prints none")
	}
	ep := &evidencePlan{dest: o.Evidence}
	if err := evidence.CheckTarget(o.Evidence); err != nil {
		return nil, inputErr("--evidence: %v", err)
	}
	if err := evidenceClashes(o, p); err != nil {
		return nil, err
	}
	if o.SignKey != "" {
		signer, err := evidence.LoadSigner(o.SignKey)
		if err != nil {
			return nil, inputErr("--sign-key %v", err)
		}
		ep.signer = signer
	}
	var err error
	if o.WaiversPath != "" {
		if ep.waivers, err = os.ReadFile(o.WaiversPath); err != nil {
			return nil, inputErr("--waivers: %v", err)
		}
		if p.waivers, err = waivers.Parse(o.WaiversPath, ep.waivers); err != nil {
			return nil, inputErr("--waivers %v", err)
		}
	}
	if o.BaselinePath != "" {
		if ep.baseline, err = os.ReadFile(o.BaselinePath); err != nil {
			return nil, inputErr("--baseline: %v", err)
		}
		if p.baseline, err = parseBaseline(o.BaselinePath, ep.baseline); err != nil {
			return nil, err
		}
	}
	for _, dir := range o.RulesDirs {
		files, err := ruleFiles(dir)
		if err != nil {
			return nil, inputErr("--rules %s: %v", dir, err)
		}
		ep.rules = append(ep.rules, files)
	}
	return ep, nil
}

// evidenceClashes refuses a bundle that another output would write into or
// over, or that would overwrite the audited snapshot.
func evidenceClashes(o *auditOptions, p *auditPlan) error {
	dest := o.Evidence
	var others []namedPath
	for _, out := range p.outputs.files {
		others = append(others, namedPath{"-o " + out.Format + "=" + out.Path, out.Path})
	}
	if o.SaveSnapshot != "" {
		others = append(others, namedPath{"--save-snapshot", o.SaveSnapshot})
	}
	if o.SnapshotPath != "" && o.SnapshotPath != "-" {
		others = append(others, namedPath{"--snapshot", o.SnapshotPath})
	}
	for _, other := range others {
		if fileout.SamePath(other.path, dest) || (!evidence.IsArchive(dest) && fileout.SamePath(filepath.Dir(other.path), dest)) {
			return inputErr("--evidence %s and %s %s: the bundle holds its own copy; write them apart", dest, other.flag, other.path)
		}
	}
	return nil
}

// ruleFiles are the rule files the engine loads from dir (every .rego but
// tests), with paths relative to dir.
func ruleFiles(dir string) ([]evidence.Content, error) {
	var out []evidence.Content
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".rego") || strings.HasSuffix(p, "_test.rego") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		out = append(out, evidence.Content{Path: filepath.ToSlash(rel), Data: data})
		return nil
	})
	return out, err
}

// reportFile is the bundle path of a report format.
func reportFile(format string) string {
	ext := map[string]string{"table": "txt", "markdown": "md", "junit": "xml"}[format]
	if ext == "" {
		ext = format
	}
	return "report." + ext
}

// bundleRenderOptions render a bundle's reports: no colour, the default
// width, every result, the snapshot beside them (SARIF points at
// snapshot.json in the bundle) and the baseline's failures.
func bundleRenderOptions(p *auditPlan, data []byte) report.Options {
	return report.Options{
		SnapshotPath: evidence.SnapshotName,
		SnapshotData: data,
		Baseline:     baselineFailures(p.baseline),
	}
}

// bundleReports renders rep in every format the report package has (a
// format added to it is bundled without a change here), plus one
// compliance summary per framework section.
func bundleReports(p *auditPlan, data []byte, rep *findings.Report) ([]evidence.ReportFile, []evidence.ComplianceFile, []evidence.Content, error) {
	opts := bundleRenderOptions(p, data)
	var (
		reports    []evidence.ReportFile
		compliance []evidence.ComplianceFile
		files      []evidence.Content
	)
	for _, f := range report.Formats() {
		var buf bytes.Buffer
		if err := report.Render(&buf, f, rep, opts); err != nil {
			return nil, nil, nil, fmt.Errorf("rendering %s report: %w", f, err)
		}
		path := reportFile(f)
		reports = append(reports, evidence.ReportFile{Format: f, Path: path})
		files = append(files, evidence.Content{Path: path, Data: buf.Bytes()})
	}
	for _, c := range rep.Compliance {
		data, err := complianceSummary(c)
		if err != nil {
			return nil, nil, nil, err
		}
		path := "compliance/" + safeName(c.Framework) + ".json"
		compliance = append(compliance, evidence.ComplianceFile{Framework: c.Framework, Path: path})
		files = append(files, evidence.Content{Path: path, Data: data})
	}
	return reports, compliance, files, nil
}

// complianceSummary is one framework's section of the report as its own
// JSON document.
func complianceSummary(c findings.Compliance) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(c); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// safeName keeps a framework name usable as a file name.
func safeName(s string) string {
	out := []byte(s)
	for i, c := range out {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			out[i] = '_'
		}
	}
	if len(out) == 0 || out[0] == '.' {
		return "_" + string(out)
	}
	return string(out)
}

// buildBundle is the manifest and files of the bundle of an evaluation.
func buildBundle(o *auditOptions, p *auditPlan, src snapshotSource, rep *findings.Report) (*evidence.Manifest, []evidence.Content, error) {
	ep := p.evidence
	m := &evidence.Manifest{
		Tool:           evidence.Tool{Name: "lockdown", Version: Version},
		CatalogVersion: p.catalog,
		Account: evidence.Account{
			ID:        src.snap.Account.ID,
			Partition: src.snap.Account.Partition,
			Aliases:   src.snap.Account.Aliases,
		},
		CollectedAt:    src.snap.CollectedAt,
		SnapshotDigest: rep.SnapshotDigest,
		Command:        o.command,
		Parameters:     manifestParameters(o, p),
		Snapshot:       evidence.SnapshotName,
	}
	if c := src.snap.Caller; c != nil {
		m.Caller = &evidence.Caller{ARN: c.ARN, UserID: c.UserID, Account: c.Account}
	}
	files := []evidence.Content{{Path: evidence.SnapshotName, Data: src.data}}
	reports, compliance, rendered, err := bundleReports(p, src.data, rep)
	if err != nil {
		return nil, nil, err
	}
	m.Reports, m.Compliance = reports, compliance
	files = append(files, rendered...)
	if ep.waivers != nil {
		m.Inputs.Waivers, m.Inputs.WaiversSource = "inputs/waivers.yaml", o.WaiversPath
		files = append(files, evidence.Content{Path: m.Inputs.Waivers, Data: ep.waivers})
	}
	if ep.baseline != nil {
		m.Inputs.Baseline, m.Inputs.BaselineSource = "inputs/baseline.json", o.BaselinePath
		files = append(files, evidence.Content{Path: m.Inputs.Baseline, Data: ep.baseline})
	}
	for i, dir := range ep.rules {
		base := fmt.Sprintf("inputs/rules/%d", i)
		m.Inputs.Rules = append(m.Inputs.Rules, evidence.RulesDir{Path: base, Source: o.RulesDirs[i]})
		for _, f := range dir {
			files = append(files, evidence.Content{Path: base + "/" + f.Path, Data: f.Data})
		}
	}
	m.SetFiles(files)
	return m, files, nil
}

func manifestParameters(o *auditOptions, p *auditPlan) evidence.Parameters {
	params := map[string]string{}
	for _, kv := range o.Params {
		k, v, _ := strings.Cut(kv, "=")
		params[strings.TrimSpace(k)] = redact.String(v)
	}
	var fws []string
	for _, fw := range p.compliance {
		fws = append(fws, fw.Name)
	}
	return evidence.Parameters{
		FailOn:          o.FailOn,
		Frameworks:      fws,
		Checks:          o.Checks,
		SkipChecks:      o.SkipChecks,
		SelectedChecks:  p.selected,
		Params:          params,
		WaiverMaxDays:   o.WaiverMaxDays,
		AllowIncomplete: o.AllowIncomplete,
	}
}

// writeEvidence builds, signs and writes the bundle.
func writeEvidence(o *auditOptions, p *auditPlan, src snapshotSource, rep *findings.Report, streams *term.IO) error {
	m, files, err := buildBundle(o, p, src, rep)
	if err != nil {
		return asRuntime(fmt.Errorf("evidence bundle: %w", err))
	}
	manifest, err := evidence.Marshal(m)
	if err != nil {
		return asRuntime(fmt.Errorf("evidence bundle: %w", err))
	}
	var sig []byte
	signed := ""
	if p.evidence.signer != nil {
		if sig, err = evidence.Sign(p.evidence.signer, manifest, evidence.Namespace); err != nil {
			return asRuntime(fmt.Errorf("evidence bundle: --sign-key %s: %w", o.SignKey, err))
		}
		signed = ", signed by " + ssh.FingerprintSHA256(p.evidence.signer.PublicKey())
	}
	if err := evidence.Write(p.evidence.dest, manifest, sig, files, src.snap.CollectedAt); err != nil {
		return asRuntime(fmt.Errorf("writing evidence bundle %s: %w", p.evidence.dest, err))
	}
	printErr(streams.Err, fmt.Sprintf("evidence bundle written to %s (%d files%s)", p.evidence.dest, len(files), signed))
	return nil
}

// secretFlag says whether a flag's value is a secret the manifest must not
// record (--mfa-token, and any flag named for a token, secret, password or
// passphrase).
func secretFlag(name string) bool {
	n := strings.ToLower(name)
	for _, w := range []string{"token", "secret", "password", "passphrase", "passwd"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// commandLine is the command line as the manifest records it: the command
// path, then every flag set, in name order, as --name=value (one per value
// of a repeatable flag), then the arguments. A secret flag's value is
// masked, and every value passes the redaction step, which removes
// anything shaped like a credential.
func commandLine(cmd *cobra.Command, args []string) []string {
	out := strings.Fields(cmd.CommandPath())
	cmd.Flags().Visit(func(f *pflag.Flag) {
		if secretFlag(f.Name) {
			out = append(out, "--"+f.Name+"="+redact.Mask)
			return
		}
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			for _, v := range sv.GetSlice() {
				out = append(out, "--"+f.Name+"="+redact.String(v))
			}
			return
		}
		out = append(out, "--"+f.Name+"="+redact.String(f.Value.String()))
	})
	if len(args) > 0 {
		out = append(out, "--")
		for _, a := range args {
			out = append(out, redact.String(a))
		}
	}
	return out
}

func newEvidenceCmd(streams *term.IO) *cobra.Command {
	o := &auditOptions{}
	cmd := &cobra.Command{
		Use:   "evidence --snapshot FILE DIR|FILE.tar.gz",
		Short: "Build a (signed) evidence bundle from a saved snapshot, offline",
		Long: `Build the evidence bundle ` + "`lockdown audit --evidence`" + ` writes, from a saved snapshot,
offline: no AWS configuration is loaded.

The bundle (a new or empty directory, or FILE.tar.gz) holds snapshot.json,
report.json and the report in every other format, a compliance summary per
--framework (compliance/NAME.json), copies of the --waivers, --baseline and
--rules files used (inputs/), and manifest.json: every other file with its
SHA-256 and size, the tool and checks catalogue versions, the parameters,
the caller identity, the account, the collection time and the command line
(secrets masked). With --sign-key FILE, manifest.json.sig is an SSH
signature over manifest.json (namespace lockdown-evidence) that OpenSSH
checks:

  ssh-keygen -Y verify -f allowed_signers -I IDENTITY -n lockdown-evidence \
    -s manifest.json.sig < manifest.json

` + "`lockdown verify BUNDLE`" + ` checks the hashes and the signature and re-evaluates the
snapshot.

Exit codes: 0 the bundle was written (whatever the findings), 2 bad flag
or input, 3 the bundle could not be written.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Evidence = args[0]
			o.command = commandLine(cmd, args)
			return runEvidence(cmd.Context(), o, streams)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&o.SnapshotPath, "snapshot", "", "the snapshot to evaluate (required; \"-\" for stdin)")
	registerEvalFlags(fs, o)
	// Shared with audit, but here they are recorded, not exit codes.
	fs.Lookup("fail-on").Usage = "the --fail-on recorded in the manifest (lockdown verify replays it); the exit code does not depend on it"
	fs.Lookup("allow-incomplete").Usage = "recorded in the manifest; the exit code does not depend on it (what the audit could not see is printed on stderr)"
	return cmd
}

func runEvidence(ctx context.Context, o *auditOptions, streams *term.IO) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if o.SnapshotPath == "" {
		return inputErr("--snapshot FILE is required: lockdown evidence builds a bundle offline (lockdown audit --evidence collects)")
	}
	p := &auditPlan{}
	var err error
	if p.failOn, err = parseFailOn(o.FailOn); err != nil {
		return err
	}
	if err := planEvaluation(o, p); err != nil {
		return err
	}
	if p.evidence, err = planEvidence(o, p); err != nil {
		return err
	}
	src, err := auditSnapshot(ctx, o, p.outputs, streams)
	if err != nil {
		return err
	}
	rep, err := evaluate(ctx, p, src, func(msg string) { printErr(streams.Err, msg) })
	if err != nil {
		return err
	}
	// The exit code says only that the bundle was written; what the audit
	// could not see is said as audit says it.
	for _, c := range rep.Incomplete {
		printErr(streams.Err, "incomplete: "+c.String())
	}
	return writeEvidence(o, p, src, rep, streams)
}
