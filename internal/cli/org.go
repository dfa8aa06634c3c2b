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
	"sync"

	"github.com/spf13/pflag"

	"github.com/lockdown-dev/lockdown/internal/collect"
	"github.com/lockdown-dev/lockdown/internal/fileout"
	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/org"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/term"
	"github.com/lockdown-dev/lockdown/report"
)

// orgFlags are the options of an organisation audit (audit --org).
type orgFlags struct {
	Org             bool
	RoleName        string
	Accounts        []string
	ExcludeAccounts []string
	OU              string
	Concurrency     int
	Out             string
	Shard           string
}

// DefaultRoleName is the audit role deploy/ creates in every member account.
const DefaultRoleName = "lockdown-audit"

func (f *orgFlags) register(fs *pflag.FlagSet) {
	fs.BoolVar(&f.Org, "org", false, "audit every active account of the AWS Organization (run from the management account or a delegated administrator); needs --out")
	fs.StringVar(&f.RoleName, "role-name", DefaultRoleName, "--org: the read-only audit role to assume in each member account (deploy/ creates it)")
	fs.StringArrayVar(&f.Accounts, "accounts", nil, "--org: audit only these account IDs (repeatable, comma-separated)")
	fs.StringArrayVar(&f.ExcludeAccounts, "exclude-accounts", nil, "--org: leave out these account IDs (repeatable, comma-separated)")
	fs.StringVar(&f.OU, "ou", "", "--org: audit only the accounts under this OU (nested OUs included)")
	fs.IntVar(&f.Concurrency, "concurrency", org.DefaultConcurrency, "--org: accounts audited at once (halved while AWS throttles, then raised again)")
	fs.StringVar(&f.Out, "out", "", "--org: directory for DIR/<account-id>/ (snapshot.json, report.json, the -o formats) and DIR/organization.json")
	fs.StringVar(&f.Shard, "shard", "", "--org: audit shard `K/N` only: the accounts whose FNV-1a hash of the ID modulo N is K-1 (lockdown merge combines the shards)")
}

// changedOrgFlag names an --org-only flag set without --org.
func changedOrgFlag(fs *pflag.FlagSet) string {
	for _, name := range []string{"role-name", "accounts", "exclude-accounts", "ou", "concurrency", "out", "shard"} {
		if fs.Changed(name) {
			return name
		}
	}
	return ""
}

// orgOutputNames are the file names of the per-account reports.
var orgOutputNames = map[string]string{
	"json": "report.json", "table": "report.txt", "markdown": "report.md", "sarif": "report.sarif", "junit": "report.xml", "html": "report.html",
}

// orgCollectHook, when set (tests), adjusts the collection options of an
// organisation audit (retries and backoff) before the session starts.
var orgCollectHook func(*collect.Options)

// parseOrgOutputs reads the -o values of an organisation audit: FORMAT or
// FORMAT=NAME, NAME a file name in each account's directory. report.json is
// always written.
func parseOrgOutputs(values []string) ([]outputSpec, error) {
	known := report.Formats()
	outs := []outputSpec{{Format: "json", Path: orgOutputNames["json"]}}
	seen := map[string]string{"report.json": "json", "snapshot.json": "the snapshot"}
	for _, v := range values {
		f, name, named := strings.Cut(v, "=")
		if !contains(known, f) {
			return nil, inputErr("--output %q: unknown format %q (known: %s)", v, f, strings.Join(known, ", "))
		}
		if !named {
			name = orgOutputNames[f]
			if name == "" {
				name = "report." + f
			}
		}
		if f == "json" && name == "report.json" {
			continue
		}
		if name == "" || name == "-" || name != filepath.Base(name) || name == "." || name == ".." {
			return nil, inputErr("--output %q: with --org, name a file (not a path) written in each account's directory, or give the format alone", v)
		}
		if prev, dup := seen[name]; dup {
			return nil, inputErr("--output %q: %s is already written there (%s)", v, name, prev)
		}
		seen[name] = f
		outs = append(outs, outputSpec{Format: f, Path: name})
	}
	return outs, nil
}

// runOrgAudit is audit --org: one session with the caller's credentials,
// the organization's tree read once, then each selected account audited by
// the single-account pipeline (collect through the assumed role, facts,
// engine, report, waivers, renderers) into DIR/<account-id>/, and the
// organisation report.
func runOrgAudit(ctx context.Context, o *auditOptions, streams *term.IO, formatSet bool) error {
	f := &o.org
	switch {
	case f.Out == "":
		return inputErr("--org needs --out DIR: each account's reports go to DIR/<account-id>/")
	case o.SnapshotPath != "":
		return inputErr("--org collects from the organization; it cannot be used with --snapshot")
	case o.SaveSnapshot != "":
		return inputErr("--org writes each account's snapshot to DIR/<account-id>/snapshot.json; --save-snapshot does not apply")
	case o.BaselinePath != "":
		return inputErr("--baseline is a report of one account; it cannot be used with --org")
	case o.Evidence != "" || o.SignKey != "":
		return inputErr("--evidence bundles one account's audit; it cannot be used with --org")
	case f.Concurrency < 1:
		return inputErr("--concurrency %d: want 1 or more", f.Concurrency)
	case f.RoleName == "" || strings.ContainsAny(f.RoleName, ":*? "):
		return inputErr("--role-name %q: want an IAM role name (with its path, if any)", f.RoleName)
	}
	summaryFormat := "table"
	if formatSet {
		if !contains(report.OrgFormats(), o.Format) {
			return inputErr("--format %q with --org: the organisation summary is %s", o.Format, strings.Join(report.OrgFormats(), ", "))
		}
		summaryFormat = o.Format
	}
	outs, err := parseOrgOutputs(o.Outputs)
	if err != nil {
		return err
	}
	shard := org.All
	if f.Shard != "" {
		if shard, err = org.ParseShard(f.Shard); err != nil {
			return asInput(err)
		}
	}
	include, err := org.ParseAccountList("accounts", f.Accounts)
	if err != nil {
		return asInput(err)
	}
	exclude, err := org.ParseAccountList("exclude-accounts", f.ExcludeAccounts)
	if err != nil {
		return asInput(err)
	}
	if len(include) > 0 && len(exclude) > 0 {
		return inputErr("--accounts and --exclude-accounts: give one or the other")
	}
	// The single-account plan, once: engine, checks, frameworks, waivers.
	planOpts := *o
	planOpts.Outputs, planOpts.Format = nil, "json"
	p, err := planAudit(&planOpts, streams, true)
	if err != nil {
		return err
	}
	dropLocalChecks(p, streams)
	if err := os.MkdirAll(f.Out, 0o700); err != nil {
		return inputErr("--out %s: %v", f.Out, err)
	}
	if err := fileout.CheckWritable(filepath.Join(f.Out, "organization.json")); err != nil {
		return inputErr("--out %s: %v", f.Out, err)
	}

	copts := o.aws.collectOptions()
	copts.Stderr = inertWriter{streams.Err}
	if orgCollectHook != nil {
		orgCollectHook(&copts)
	}
	sess, err := collect.NewOrgSession(ctx, copts)
	if err != nil {
		var dirErr *collect.AWSConfigDirError
		if errors.As(err, &dirErr) {
			return asInput(err)
		}
		return asRuntime(err)
	}
	tree, err := sess.ReadTree(ctx)
	if err != nil {
		return asRuntime(err)
	}
	if tree.PolicyErr != nil {
		printErr(streams.Err, fmt.Sprintf("warning: the organization's policies could not be read (%s %s); every account's source organization records it, and decisions leave organization policies out", tree.PolicyErr.Action, tree.PolicyErr.Code))
	}
	filter := org.Filter{Include: include, Exclude: exclude, OU: f.OU}
	if f.OU != "" {
		units, ok := tree.UnitsUnder(f.OU)
		if !ok {
			return inputErr("--ou %s: no such OU (or root) in organization %s", f.OU, tree.ID)
		}
		filter.Units = units
	}
	members := make([]org.Member, 0, len(tree.Accounts))
	for _, a := range tree.Accounts {
		members = append(members, org.Member{ID: a.ID, Name: a.Name, Parent: a.Parent, State: a.State})
	}
	selected, inactive, err := org.Select(tree.ID, members, filter)
	if err != nil {
		return asInput(err)
	}
	if len(inactive) > 0 {
		printErr(streams.Err, fmt.Sprintf("%d account(s) not ACTIVE left out: %s", len(inactive), strings.Join(inactive, ", ")))
	}
	targets := org.InShard(selected, shard)
	run := ShardRunOf(shard, selected)
	printErr(streams.Err, fmt.Sprintf("organization %s: auditing %d of %d selected accounts (shard %s) with role %s, %d at once", tree.ID, len(targets), len(selected), shard, f.RoleName, f.Concurrency))

	oa := &orgAudit{o: o, p: p, sess: sess, tree: tree, outs: outs, streams: streams, total: len(targets), controls: map[[2]string]string{}}
	entries := org.Run(ctx, targets, f.Concurrency, oa.auditAccount, oa.progress)
	meta := org.Meta{ToolVersion: Version, OrganizationID: tree.ID, ManagementAccountID: tree.ManagementAccountID,
		CatalogVersion: p.catalog, Checks: map[string]findings.Check{}, Controls: oa.controls}
	for _, c := range p.eng.Checks() {
		meta.Checks[c.ID] = c
	}
	rep := org.Build(meta, []org.ShardRun{run}, entries)
	if err := writeOrgReport(f.Out, rep); err != nil {
		return asRuntime(err)
	}
	if err := report.RenderOrg(streams.Out, summaryFormat, rep); err != nil {
		return asRuntime(fmt.Errorf("writing the organisation summary to stdout: %w", err))
	}
	return orgExit(rep, p.failOn, o.FailOn, o.AllowIncomplete, streams)
}

// ShardRunOf records a shard's run: the shard and every account selected.
func ShardRunOf(s org.Shard, selected []org.Target) org.ShardRun {
	run := org.ShardRun{K: s.K, N: s.N, Selected: []string{}}
	for _, t := range selected {
		run.Selected = append(run.Selected, t.ID)
	}
	sort.Strings(run.Selected)
	return run
}

// dropLocalChecks leaves out the checks that judge only the local AWS CLI
// files (source aws_config): they describe the machine running the audit,
// not an account, so an organisation audit does not collect them.
func dropLocalChecks(p *auditPlan, streams *term.IO) {
	var kept, dropped []string
	for _, id := range p.selected {
		local := false
		for _, c := range p.eng.Checks() {
			if c.ID == id && len(c.Requires) > 0 {
				local = true
				for _, src := range c.Requires {
					if src != snapshot.SourceAWSConfig {
						local = false
					}
				}
			}
		}
		if local {
			dropped = append(dropped, id)
		} else {
			kept = append(kept, id)
		}
	}
	if len(dropped) == 0 {
		return
	}
	p.selected = kept
	p.skipped = append(p.skipped, dropped...)
	sort.Strings(p.skipped)
	printErr(streams.Err, fmt.Sprintf("--org leaves out %s: they judge this machine's AWS CLI files, not an account (a single-account audit checks them)", strings.Join(dropped, ", ")))
}

// orgAudit is the state shared by the accounts' audits.
type orgAudit struct {
	o       *auditOptions
	p       *auditPlan
	sess    *collect.OrgSession
	tree    *collect.OrgTree
	outs    []outputSpec
	streams *term.IO

	mu       sync.Mutex
	done     int
	total    int
	controls map[[2]string]string
}

func failedAccount(t org.Target, cause string) org.Account {
	return org.Account{ID: t.ID, Name: t.Name, Parent: t.Parent, Status: org.StatusFailed, Cause: oneLine(cause),
		FailingBySeverity: map[string]int{}, Checks: []org.CheckCount{}, Controls: []org.ControlStatus{}}
}

// throttleCodes are the errors with which AWS says a caller is going too
// fast.
var throttleCodes = map[string]bool{
	"Throttling": true, "ThrottlingException": true, "TooManyRequestsException": true, "RequestLimitExceeded": true,
	"RequestThrottled": true, "RequestThrottledException": true, "SlowDown": true, "PriorRequestNotComplete": true,
}

// auditAccount is one account's audit: the same pipeline as a
// single-account audit, into DIR/<account-id>/. The snapshot and report
// are dropped when it returns; only the summary entry stays.
func (oa *orgAudit) auditAccount(ctx context.Context, t org.Target) (a org.Account) {
	defer func() {
		if r := recover(); r != nil {
			a = failedAccount(t, fmt.Sprintf("internal error: %v", r))
		}
	}()
	snap, err := oa.sess.CollectAccount(ctx, t.ID, oa.o.org.RoleName, oa.tree.View(t.ID))
	if err != nil {
		a := failedAccount(t, err.Error())
		var ae *collect.AssumeRoleError
		if errors.As(err, &ae) && throttleCodes[ae.Err.Code] {
			a.Throttled = true
		}
		var ie *collect.IdentityError
		if errors.As(err, &ie) && throttleCodes[ie.Code] {
			a.Throttled = true
		}
		return a
	}
	if err := requireIdentity(snap); err != nil {
		return failedAccount(t, err.Error())
	}
	requests, throttled := 0, false
	for _, st := range snap.Sources {
		requests += st.Requests
		if st.Error != nil && throttleCodes[st.Error.Code] {
			throttled = true
		}
	}
	dir := filepath.Join(oa.o.org.Out, t.ID)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return failedAccount(t, "writing its reports: "+err.Error())
	}
	data, err := snapshot.Marshal(snap)
	if err != nil {
		return failedAccount(t, err.Error())
	}
	src := snapshotSource{snap: snap, data: data, path: filepath.Join(dir, "snapshot.json")}
	if err := fileout.WriteFile(src.path, data, fileout.Implicit); err != nil {
		return failedAccount(t, "writing its snapshot: "+err.Error())
	}
	fct, err := buildFacts(snap)
	if err != nil {
		return failedAccount(t, err.Error())
	}
	outcome, err := oa.p.eng.Evaluate(ctx, fct, oa.p.selected)
	if err != nil {
		return failedAccount(t, err.Error())
	}
	rep, err := oa.p.report(src, outcome)
	if err != nil {
		return failedAccount(t, err.Error())
	}
	warn := func(msg string) {
		// A waiver for one account matches nothing in the others.
		if !strings.Contains(msg, "matches no failing result") {
			printErr(oa.streams.Err, t.ID+": "+msg)
		}
	}
	if err := applyWaivers(oa.p, snap, rep, warn); err != nil {
		return failedAccount(t, err.Error())
	}
	ropts := report.Options{Width: 120, Quiet: oa.o.Quiet, SnapshotPath: src.path, SnapshotData: data, SARIFRoot: oa.o.SARIFRoot}
	for _, out := range oa.outs {
		spec := outputSpec{Format: out.Format, Path: filepath.Join(dir, out.Path)}
		if err := writeReportImplicit(spec, rep, ropts); err != nil {
			return failedAccount(t, err.Error())
		}
	}
	a = org.AccountFromReport(t, rep, counts)
	a.Dir, a.Requests, a.Throttled = t.ID, requests, throttled
	oa.mu.Lock()
	for _, fw := range rep.Compliance {
		for _, c := range fw.Controls {
			oa.controls[[2]string{fw.Framework, c.ID}] = c.Title
		}
	}
	oa.mu.Unlock()
	return a
}

// writeReportImplicit renders a report into a file lockdown named.
func writeReportImplicit(out outputSpec, rep *findings.Report, opts report.Options) error {
	var buf bytes.Buffer
	if err := report.Render(&buf, out.Format, rep, opts); err != nil {
		return fmt.Errorf("rendering %s report: %w", out.Format, err)
	}
	if err := fileout.WriteFile(out.Path, buf.Bytes(), fileout.Implicit); err != nil {
		return fmt.Errorf("writing %s report %s: %w", out.Format, out.Path, err)
	}
	return nil
}

// progress prints one line per account as it finishes.
func (oa *orgAudit) progress(a org.Account) {
	oa.mu.Lock()
	oa.done++
	n := oa.done
	oa.mu.Unlock()
	line := fmt.Sprintf("[%d/%d] %s %s", n, oa.total, a.ID, a.Status)
	if a.Cause != "" {
		line += ": " + report.Clip(a.Cause, 300)
	}
	printErr(oa.streams.Err, line)
}

// writeOrgReport writes DIR/organization.json, DIR/organization.md and
// DIR/organization.html.
func writeOrgReport(dir string, rep *org.Report) error {
	data, err := rep.Marshal()
	if err != nil {
		return err
	}
	if err := fileout.WriteFile(filepath.Join(dir, "organization.json"), data, fileout.Implicit); err != nil {
		return fmt.Errorf("writing %s: %w", filepath.Join(dir, "organization.json"), err)
	}
	for _, f := range []struct{ format, name string }{{"markdown", "organization.md"}, {"html", "organization.html"}} {
		var buf bytes.Buffer
		if err := report.RenderOrg(&buf, f.format, rep); err != nil {
			return err
		}
		if err := fileout.WriteFile(filepath.Join(dir, f.name), buf.Bytes(), fileout.Implicit); err != nil {
			return fmt.Errorf("writing %s: %w", filepath.Join(dir, f.name), err)
		}
	}
	return nil
}

// orgExit is the exit-code table applied to an organisation: findings (1)
// in any audited account win over incomplete (4), which any incomplete or
// failed account, or an account a shard selected and none audited, gives.
func orgExit(rep *org.Report, failOn int, failOnName string, allowIncomplete bool, streams *term.IO) error {
	if n := rep.Failing(failOn); n > 0 {
		return &exitError{code: ExitFindings, err: fmt.Errorf("%d account(s) with failing results at or above severity %s", n, failOnName)}
	}
	s := rep.Summary
	if (s.Incomplete+s.Failed+s.Missing > 0) && !allowIncomplete {
		msg := fmt.Sprintf("incomplete organisation audit: %d account(s) incomplete, %d failed", s.Incomplete, s.Failed)
		if s.Missing > 0 {
			msg += fmt.Sprintf(", %d missing (%s)", s.Missing, report.Clip(strings.Join(rep.Missing, ", "), 400))
		}
		return &exitError{code: ExitIncomplete, err: errors.New(msg + " (--allow-incomplete accepts this)")}
	}
	return nil
}
