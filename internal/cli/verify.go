package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lockdown-dev/lockdown/internal/engine"
	"github.com/lockdown-dev/lockdown/internal/evidence"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/term"
	"github.com/lockdown-dev/lockdown/internal/waivers"
	"github.com/lockdown-dev/lockdown/report"
)

type verifyOptions struct {
	AllowedSigners string
	Identity       string
}

// verifyNow is the time allowed_signers validity windows are judged at
// (tests replace it).
var verifyNow = time.Now

func newVerifyCmd(streams *term.IO) *cobra.Command {
	o := &verifyOptions{}
	cmd := &cobra.Command{
		Use:   "verify BUNDLE",
		Short: "Verify an evidence bundle: hashes, signature, and that its snapshot reproduces its reports",
		Long: `Verify an evidence bundle (a directory or .tar.gz written by
` + "`lockdown audit --evidence`" + ` or ` + "`lockdown evidence`" + `), offline:

  - every file manifest.json lists is present with its size and SHA-256, and
    no other file is (manifest.json.sig aside);
  - manifest.json.sig, when present, is an SSH signature over manifest.json
    in namespace lockdown-evidence. With --allowed-signers FILE (OpenSSH's
    allowed_signers format) the signing key must be listed there for that
    namespace (and for --identity when given), and a bundle without a
    signature fails. Without --allowed-signers a signature is checked
    against the key it carries only: the output says the signer is not
    authenticated;
  - the bundled snapshot, evaluated again with the recorded checks,
    parameters, frameworks, waivers, baseline and rule files, gives
    report.json byte for byte, and every other report and compliance
    summary too.

A bundle made by another lockdown version is re-evaluated with its
recorded version string; that is said, and it verifies only if this build
reproduces the reports exactly. A different checks catalogue changes
report.json, so it does not verify.

Exit codes: 0 the bundle verifies, 1 some file does not (each is named),
2 bad flag, or a bundle or allowed_signers file that cannot be read (an
archive with an absolute, '..' or link member, a member listed twice or
over the size limits is refused unread).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runVerify(cmd.Context(), args[0], o, streams)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&o.AllowedSigners, "allowed-signers", "", "OpenSSH allowed_signers `FILE`: the signer's key must be listed there for namespace "+evidence.Namespace)
	fs.StringVar(&o.Identity, "identity", "", "with --allowed-signers: the principal the signer must be listed as (ssh-keygen -Y verify -I)")
	return cmd
}

func runVerify(ctx context.Context, path string, o *verifyOptions, streams *term.IO) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if o.Identity != "" && o.AllowedSigners == "" {
		return inputErr("--identity names a principal of --allowed-signers; give the file too")
	}
	iopts := evidence.IntegrityOptions{Identity: o.Identity, Now: verifyNow()}
	if o.AllowedSigners != "" {
		signers, err := evidence.LoadAllowedSigners(o.AllowedSigners)
		if err != nil {
			return inputErr("--allowed-signers %v", err)
		}
		iopts.Signers, iopts.HaveSigners = signers, true
	}
	b, err := evidence.Read(path, evidence.DefaultLimits)
	if err != nil {
		return asInput(err)
	}
	integ, err := evidence.CheckIntegrity(b, iopts)
	if err != nil {
		return inputErr("bundle %s: %v", path, err)
	}
	w := inertWriter{streams.Out}
	line := func(format string, a ...any) { fmt.Fprintf(w, format+"\n", a...) }
	line("bundle %s", path)
	problems := integ.Problems
	var notes []string
	if m := integ.Manifest; m != nil {
		line("  made by lockdown %s (checks %s) for account %s, snapshot collected %s", m.Tool.Version, m.CatalogVersion, m.Account.ID, m.CollectedAt.UTC().Format(time.RFC3339))
		if bad := failedInputs(m, problems); len(bad) > 0 {
			notes = append(notes, "not evaluated again: "+strings.Join(bad, ", ")+" do(es) not match the manifest")
		} else {
			more, n := reproduce(ctx, b, m)
			problems = append(problems, more...)
			notes = append(notes, n...)
		}
	}
	sig := integ.Signature
	switch {
	case !sig.Present:
		line("  signature: none (manifest.json.sig absent)")
	case !sig.Valid:
		line("  signature: INVALID")
	case sig.Authenticated:
		line("  signature: valid, %s key %s, allowed signer %s for namespace %s", sig.KeyType, sig.Fingerprint, strings.Join(sig.Principals, "; "), evidence.Namespace)
	case iopts.HaveSigners:
		line("  signature: valid %s key %s, but not an allowed signer", sig.KeyType, sig.Fingerprint)
	default:
		line("  signature: valid over manifest.json by %s key %s; the signer is NOT authenticated (give --allowed-signers to check who holds the key)", sig.KeyType, sig.Fingerprint)
	}
	for _, n := range notes {
		line("  note: %s", n)
	}
	if len(problems) > 0 {
		for _, p := range problems {
			line("  FAIL %s", p)
		}
		names := map[string]bool{}
		var files []string
		for _, p := range problems {
			if !names[p.Path] {
				names[p.Path] = true
				files = append(files, p.Path)
			}
		}
		return &exitError{code: ExitFindings, err: fmt.Errorf("bundle %s does not verify: %s", path, strings.Join(files, ", "))}
	}
	if m := integ.Manifest; m != nil {
		line("  files: %d listed, every size and SHA-256 matches, nothing unlisted", integ.Listed)
		line("  reports: %s reproduced byte for byte from %s", strings.Join(reportPaths(m), ", "), m.Snapshot)
	}
	line("verified")
	return nil
}

// failedInputs are the evaluation's inputs (snapshot, waivers, baseline,
// rule files) that failed their hash: evaluating them again would only
// repeat that they changed.
func failedInputs(m *evidence.Manifest, problems []evidence.Problem) []string {
	var out []string
	for _, p := range problems {
		isInput := p.Path == m.Snapshot || p.Path == m.Inputs.Waivers || p.Path == m.Inputs.Baseline
		for _, r := range m.Inputs.Rules {
			isInput = isInput || strings.HasPrefix(p.Path, r.Path+"/")
		}
		if isInput && !contains(out, p.Path) {
			out = append(out, p.Path)
		}
	}
	return out
}

func reportPaths(m *evidence.Manifest) []string {
	var out []string
	for _, r := range m.Reports {
		out = append(out, r.Path)
	}
	for _, c := range m.Compliance {
		out = append(out, c.Path)
	}
	return out
}

// reproduce evaluates the bundled snapshot again with the recorded
// parameters and compares every report and compliance summary with the
// bundled one, byte for byte.
func reproduce(ctx context.Context, b *evidence.Bundle, m *evidence.Manifest) (problems []evidence.Problem, notes []string) {
	fail := func(path, format string, a ...any) {
		problems = append(problems, evidence.Problem{Path: path, Msg: fmt.Sprintf(format, a...)})
	}
	if m.Tool.Version != Version {
		notes = append(notes, fmt.Sprintf("made by lockdown %s, verified by lockdown %s: the reports are re-evaluated with the recorded version string and must still match byte for byte", m.Tool.Version, Version))
	}
	jsonPath := m.Report("json")
	if jsonPath == "" {
		fail(evidence.ManifestName, "lists no json report to reproduce")
		return problems, notes
	}
	data := b.Files[m.Snapshot]
	snap, err := snapshot.Decode(m.Snapshot, data)
	if err != nil {
		fail(m.Snapshot, "%v", err)
		return problems, notes
	}
	for _, c := range manifestDisagrees(m, snap, data) {
		fail(evidence.ManifestName, "%s", c)
	}
	p, cleanup, err := replayPlan(b, m)
	defer cleanup()
	if err != nil {
		fail(evidence.ManifestName, "the recorded parameters cannot be applied by this lockdown: %v", err)
		return problems, notes
	}
	if p.catalog != m.CatalogVersion {
		fail(evidence.ManifestName, "records checks catalogue %s, and this lockdown's is %s: a bundle verifies only with the checks that made it", m.CatalogVersion, p.catalog)
	}
	src := snapshotSource{snap: snap, data: data, path: m.Snapshot}
	rep, err := evaluate(ctx, p, src, func(string) {})
	if err != nil {
		fail(m.Snapshot, "cannot be evaluated again: %v", err)
		return problems, notes
	}
	rep.ToolVersion = m.Tool.Version
	opts := bundleRenderOptions(p, data)
	known := report.Formats()
	for _, r := range m.Reports {
		if !contains(known, r.Format) {
			notes = append(notes, fmt.Sprintf("%s: format %q is unknown to this lockdown; covered by its hash only", r.Path, r.Format))
			continue
		}
		var buf bytes.Buffer
		if err := report.Render(&buf, r.Format, rep, opts); err != nil {
			fail(r.Path, "cannot be rendered again: %v", err)
			continue
		}
		if !bytes.Equal(buf.Bytes(), b.Files[r.Path]) {
			fail(r.Path, "differs from the %s report the bundled snapshot gives with the recorded parameters (%s)", r.Format, firstDifference(b.Files[r.Path], buf.Bytes()))
		}
	}
	byFramework := map[string][]byte{}
	for _, c := range rep.Compliance {
		if data, err := complianceSummary(c); err == nil {
			byFramework[c.Framework] = data
		}
	}
	for _, c := range m.Compliance {
		want, ok := byFramework[c.Framework]
		switch {
		case !ok:
			fail(c.Path, "the re-evaluation has no %s section", c.Framework)
		case !bytes.Equal(want, b.Files[c.Path]):
			fail(c.Path, "differs from the %s section of the re-evaluation (%s)", c.Framework, firstDifference(b.Files[c.Path], want))
		}
	}
	if len(rep.Compliance) != len(m.Compliance) {
		fail(evidence.ManifestName, "lists %d compliance summaries; the recorded frameworks give %d", len(m.Compliance), len(rep.Compliance))
	}
	return problems, notes
}

// manifestDisagrees lists what the manifest says of the snapshot that the
// snapshot does not say itself.
func manifestDisagrees(m *evidence.Manifest, snap *snapshot.Snapshot, data []byte) []string {
	var out []string
	if d := snapshot.Digest(data); d != m.SnapshotDigest {
		out = append(out, fmt.Sprintf("records snapshot digest %s; %s has %s", m.SnapshotDigest, m.Snapshot, d))
	}
	if snap.Account.ID != m.Account.ID || snap.Account.Partition != m.Account.Partition || strings.Join(snap.Account.Aliases, ",") != strings.Join(m.Account.Aliases, ",") {
		out = append(out, fmt.Sprintf("records account %s (%s), and %s is of account %s (%s)", m.Account.ID, m.Account.Partition, m.Snapshot, snap.Account.ID, snap.Account.Partition))
	}
	if !snap.CollectedAt.Equal(m.CollectedAt) {
		out = append(out, fmt.Sprintf("records collection at %s, and %s was collected at %s", m.CollectedAt.UTC().Format(time.RFC3339), m.Snapshot, snap.CollectedAt.UTC().Format(time.RFC3339)))
	}
	var caller evidence.Caller
	if snap.Caller != nil {
		caller = evidence.Caller{ARN: snap.Caller.ARN, UserID: snap.Caller.UserID, Account: snap.Caller.Account}
	}
	var recorded evidence.Caller
	if m.Caller != nil {
		recorded = *m.Caller
	}
	if caller != recorded || (snap.Caller == nil) != (m.Caller == nil) {
		out = append(out, fmt.Sprintf("records caller %q, and %s was collected by %q", recorded.ARN, m.Snapshot, caller.ARN))
	}
	return out
}

// firstDifference locates where two renderings part, for the message.
func firstDifference(got, want []byte) string {
	line := 1
	for i := 0; i < len(got) && i < len(want); i++ {
		if got[i] != want[i] {
			return fmt.Sprintf("first difference on line %d", line)
		}
		if got[i] == '\n' {
			line++
		}
	}
	return fmt.Sprintf("%d bytes, re-evaluated %d", len(got), len(want))
}

// replayPlan is the evaluation plan the manifest records: the selected
// checks exactly, the --param values, the frameworks, and the bundled
// waivers, baseline and rule files. Rule files are written to a private
// temporary directory for the engine; cleanup removes it.
func replayPlan(b *evidence.Bundle, m *evidence.Manifest) (*auditPlan, func(), error) {
	cleanup := func() {}
	pm := m.Parameters
	o := &auditOptions{
		FailOn:        pm.FailOn,
		Checks:        pm.SelectedChecks,
		Frameworks:    pm.Frameworks,
		WaiverMaxDays: pm.WaiverMaxDays,
	}
	keys := make([]string, 0, len(pm.Params))
	for k := range pm.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		o.Params = append(o.Params, k+"="+pm.Params[k])
	}
	if len(m.Inputs.Rules) > 0 {
		tmp, err := os.MkdirTemp("", "lockdown-verify-")
		if err != nil {
			return nil, cleanup, err
		}
		cleanup = func() { os.RemoveAll(tmp) }
		for i, rd := range m.Inputs.Rules {
			dir := filepath.Join(tmp, fmt.Sprint(i))
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, cleanup, err
			}
			prefix := rd.Path + "/"
			for _, f := range m.Files {
				rel, ok := strings.CutPrefix(f.Path, prefix)
				if !ok {
					continue
				}
				dst := filepath.Join(dir, filepath.FromSlash(rel))
				if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
					return nil, cleanup, err
				}
				if err := os.WriteFile(dst, b.Files[f.Path], 0o600); err != nil {
					return nil, cleanup, err
				}
			}
			o.RulesDirs = append(o.RulesDirs, dir)
		}
	}
	p := &auditPlan{}
	var err error
	if p.failOn, err = parseFailOn(o.FailOn); err != nil {
		return nil, cleanup, err
	}
	if err := planEvaluation(o, p); err != nil {
		var ue *engine.UnknownCheckError
		if errors.As(err, &ue) {
			return nil, cleanup, fmt.Errorf("checks %s are not in this lockdown", strings.Join(ue.IDs, ", "))
		}
		return nil, cleanup, err
	}
	if m.Inputs.Waivers != "" {
		if p.waivers, err = waivers.Parse(m.Inputs.WaiversSource, b.Files[m.Inputs.Waivers]); err != nil {
			return nil, cleanup, fmt.Errorf("%s: %v", m.Inputs.Waivers, err)
		}
	}
	if m.Inputs.Baseline != "" {
		p.baselinePath = m.Inputs.BaselineSource
		if p.baseline, err = parseBaseline(m.Inputs.Baseline, b.Files[m.Inputs.Baseline]); err != nil {
			return nil, cleanup, err
		}
	}
	return p, cleanup, nil
}
