// Package action tests lockdown's GitHub Action (action.yml at the
// repository root) and the script its steps run (tools/action/run.sh): the
// metadata parses with the keys GitHub reads, and the composite steps, run
// here as a runner would run them, audit the loopback IAM server.
package action

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/lockdown-dev/lockdown/internal/collect/iamtest"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

var repoRoot = func() string {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		panic(err)
	}
	return root
}()

type input struct {
	Description string  `yaml:"description"`
	Required    bool    `yaml:"required"`
	Default     *string `yaml:"default"`
}

type output struct {
	Description string `yaml:"description"`
	Value       string `yaml:"value"`
}

type step struct {
	Name  string            `yaml:"name"`
	ID    string            `yaml:"id"`
	If    string            `yaml:"if"`
	Uses  string            `yaml:"uses"`
	Run   string            `yaml:"run"`
	Shell string            `yaml:"shell"`
	Env   map[string]string `yaml:"env"`
	With  map[string]string `yaml:"with"`
}

type metadata struct {
	Name        string            `yaml:"name"`
	Description string            `yaml:"description"`
	Author      string            `yaml:"author"`
	Branding    map[string]string `yaml:"branding"`
	Inputs      map[string]input  `yaml:"inputs"`
	Outputs     map[string]output `yaml:"outputs"`
	Runs        struct {
		Using string `yaml:"using"`
		Steps []step `yaml:"steps"`
	} `yaml:"runs"`
}

// loadAction reads action.yml strictly: a key GitHub does not know (or a
// misspelt one) fails the test.
func loadAction(t *testing.T) metadata {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRoot, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := yaml.NewDecoder(f)
	dec.KnownFields(true)
	var m metadata
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return m
}

var (
	exprRE = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)
	// pinned: OWNER/REPO[/PATH]@vN[.N.N] or a full commit.
	pinnedRE = regexp.MustCompile(`^[A-Za-z0-9-]+/[A-Za-z0-9._-]+(/[A-Za-z0-9._/-]+)?@(v[0-9]+(\.[0-9]+){0,2}|[0-9a-f]{40})$`)
)

func TestActionMetadata(t *testing.T) {
	m := loadAction(t)
	if m.Name == "" || m.Description == "" {
		t.Error("action.yml needs a name and a description")
	}
	if m.Runs.Using != "composite" {
		t.Errorf("runs.using %q, want composite", m.Runs.Using)
	}
	for _, name := range []string{"fail-on", "frameworks", "waivers", "baseline", "output-dir", "upload-sarif", "artifact-name"} {
		in, ok := m.Inputs[name]
		if !ok {
			t.Errorf("input %s missing", name)
			continue
		}
		if in.Description == "" || in.Default == nil || in.Required {
			t.Errorf("input %s: want a description, a default and required: false", name)
		}
	}
	if d := m.Inputs["fail-on"].Default; d == nil || *d != "high" {
		t.Errorf("fail-on default %v, want high", d)
	}
	ids := map[string]bool{}
	var uploads, artifacts int
	for i, s := range m.Runs.Steps {
		where := fmt.Sprintf("step %d (%s)", i+1, s.Name)
		if s.Name == "" {
			t.Errorf("%s has no name", where)
		}
		if (s.Run == "") == (s.Uses == "") {
			t.Errorf("%s: want exactly one of run and uses", where)
		}
		if s.ID != "" {
			ids[s.ID] = true
		}
		if s.Run != "" {
			if s.Shell != "bash" {
				t.Errorf("%s: shell %q, want bash (a composite run step must name its shell)", where, s.Shell)
			}
			// Inputs reach the script through env, never pasted into its text.
			if strings.Contains(s.Run, "${{") {
				t.Errorf("%s: an expression in run: %q; pass it through env", where, s.Run)
			}
		}
		if s.Uses != "" && !pinnedRE.MatchString(s.Uses) {
			t.Errorf("%s: uses %q is not pinned to a version", where, s.Uses)
		}
		if strings.Contains(s.Uses, "download-artifact") || strings.Contains(s.Run, "curl") || strings.Contains(s.Run, "wget") {
			t.Errorf("%s: the action builds lockdown from its own checkout and downloads nothing", where)
		}
		for _, e := range exprRE.FindAllStringSubmatch(s.If+" "+fmt.Sprint(s.Env)+" "+fmt.Sprint(s.With), -1) {
			for _, ref := range regexp.MustCompile(`steps\.([a-z-]+)\.outputs`).FindAllStringSubmatch(e[1], -1) {
				if !ids[ref[1]] {
					t.Errorf("%s refers to step %q, which does not come before it", where, ref[1])
				}
			}
		}
		if strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@") {
			uploads++
			if !strings.Contains(s.If, "steps.audit.outputs.upload-sarif == 'true'") {
				t.Errorf("%s: the SARIF upload must depend on the audit's upload-sarif output, got if: %q", where, s.If)
			}
			if s.With["category"] != "${{ steps.audit.outputs.sarif-category }}" {
				t.Errorf("%s: category %q, want the audit's per-account category", where, s.With["category"])
			}
		}
		if strings.HasPrefix(s.Uses, "actions/upload-artifact@") {
			artifacts++
		}
	}
	if uploads != 1 || artifacts != 1 {
		t.Errorf("%d SARIF uploads and %d artifact uploads, want one each", uploads, artifacts)
	}
	for name, o := range m.Outputs {
		if o.Description == "" || !exprRE.MatchString(o.Value) {
			t.Errorf("output %s: want a description and a value expression", name)
		}
	}
	for _, script := range []string{filepath.Join(repoRoot, "tools", "action", "run.sh")} {
		if out, err := exec.Command("bash", "-n", script).CombinedOutput(); err != nil {
			t.Errorf("bash -n %s: %v\n%s", script, err, out)
		}
	}
}

// runner runs action.yml's composite steps the way a GitHub runner does, as
// far as this action needs: run steps in bash with their env, step outputs
// from $GITHUB_OUTPUT, if: conditions of the form the action uses. uses:
// steps are not run; the runner records whether they would run and with
// what.
type runner struct {
	t       *testing.T
	inputs  map[string]string
	env     []string
	outputs map[string]map[string]string
	failed  bool
	summary string
	ran     map[string]map[string]string // uses step name -> evaluated with
	log     strings.Builder
	codes   map[string]int
}

func newRunner(t *testing.T, m metadata, inputs map[string]string) *runner {
	r := &runner{t: t, inputs: map[string]string{}, outputs: map[string]map[string]string{},
		ran: map[string]map[string]string{}, codes: map[string]int{}}
	for name, in := range m.Inputs {
		if in.Default != nil {
			r.inputs[name] = *in.Default
		}
	}
	for k, v := range inputs {
		if _, ok := m.Inputs[k]; !ok {
			t.Fatalf("no input %s", k)
		}
		r.inputs[k] = v
	}
	tmp := t.TempDir()
	r.summary = filepath.Join(tmp, "summary.md")
	if err := os.WriteFile(r.summary, []byte("an earlier step's summary\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r.env = append(os.Environ(),
		"GITHUB_ACTIONS=true",
		"GITHUB_ACTION_PATH="+repoRoot,
		"GITHUB_ACTION_REF=v0-test",
		"GITHUB_STEP_SUMMARY="+r.summary,
		"GITHUB_WORKSPACE="+repoRoot,
		"RUNNER_TEMP="+tmp,
	)
	return r
}

// value evaluates one expression of the forms the action uses.
func (r *runner) value(expr string) string {
	if expr == "github.action_path" {
		return repoRoot
	}
	if name, ok := strings.CutPrefix(expr, "inputs."); ok {
		v, ok := r.inputs[name]
		if !ok {
			r.t.Fatalf("unknown input in %q", expr)
		}
		return v
	}
	if rest, ok := strings.CutPrefix(expr, "steps."); ok {
		id, key, ok := strings.Cut(rest, ".outputs.")
		if !ok {
			r.t.Fatalf("unsupported expression %q", expr)
		}
		return r.outputs[id][key]
	}
	if lit, ok := strings.CutPrefix(expr, "'"); ok && strings.HasSuffix(lit, "'") {
		return strings.TrimSuffix(lit, "'")
	}
	r.t.Fatalf("unsupported expression %q", expr)
	return ""
}

// expand replaces each ${{ ... }} of s; ok is false for an expression this
// runner does not evaluate (the artifact's name).
func (r *runner) expand(s string) (string, bool) {
	ok := true
	out := exprRE.ReplaceAllStringFunc(s, func(m string) string {
		e := exprRE.FindStringSubmatch(m)[1]
		if strings.ContainsAny(e, "|(") {
			ok = false
			return m
		}
		return r.value(e)
	})
	return out, ok
}

// cond evaluates an if: a conjunction of !cancelled(), always(), success(),
// failure() and A == B / A != B terms; without a status function, success()
// is implied, as on GitHub.
func (r *runner) cond(expr string) bool {
	expr = strings.TrimSpace(expr)
	if e := exprRE.FindStringSubmatch(expr); e != nil {
		expr = e[1]
	}
	if expr == "" {
		return !r.failed
	}
	status := false
	result := true
	for _, term := range strings.Split(expr, "&&") {
		term = strings.TrimSpace(term)
		switch {
		case term == "!cancelled()" || term == "always()":
			status = true
		case term == "success()":
			status, result = true, result && !r.failed
		case term == "failure()":
			status, result = true, result && r.failed
		case strings.Contains(term, "=="):
			a, b, _ := strings.Cut(term, "==")
			result = result && r.value(strings.TrimSpace(a)) == r.value(strings.TrimSpace(b))
		case strings.Contains(term, "!="):
			a, b, _ := strings.Cut(term, "!=")
			result = result && r.value(strings.TrimSpace(a)) != r.value(strings.TrimSpace(b))
		default:
			r.t.Fatalf("unsupported condition %q in %q", term, expr)
		}
	}
	if !status {
		result = result && !r.failed
	}
	return result
}

func (r *runner) run(m metadata) {
	t := r.t
	for i, s := range m.Runs.Steps {
		name := s.Name
		if !r.cond(s.If) {
			fmt.Fprintf(&r.log, "skipped: %s\n", name)
			continue
		}
		if s.Uses != "" {
			with := map[string]string{}
			for k, v := range s.With {
				with[k], _ = r.expand(v)
			}
			r.ran[name] = with
			continue
		}
		outFile := filepath.Join(t.TempDir(), fmt.Sprintf("output-%d", i))
		if err := os.WriteFile(outFile, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		env := append([]string{}, r.env...)
		env = append(env, "GITHUB_OUTPUT="+outFile)
		for k, v := range s.Env {
			x, ok := r.expand(v)
			if !ok {
				t.Fatalf("step %s: env %s=%q not evaluated", name, k, v)
			}
			env = append(env, k+"="+x)
		}
		cmd := exec.Command("bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", s.Run)
		cmd.Dir = repoRoot
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		fmt.Fprintf(&r.log, "--- %s\n%s", name, out)
		code := 0
		if err != nil {
			ee, ok := err.(*exec.ExitError)
			if !ok {
				t.Fatalf("step %s: %v", name, err)
			}
			code = ee.ExitCode()
			r.failed = true
		}
		r.codes[name] = code
		if s.ID != "" {
			r.outputs[s.ID] = readOutputs(t, outFile)
		}
	}
}

func readOutputs(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok {
			t.Fatalf("%s: line %q is not KEY=VALUE", path, sc.Text())
		}
		out[k] = v
	}
	return out
}

// guideServer serves the guide's account on 127.0.0.1 with static dummy
// credentials; lockdown's subprocess inherits the environment.
func guideServer(t *testing.T) *iamtest.Server {
	t.Helper()
	guide, _, err := snapshot.Load(filepath.Join(repoRoot, "testdata", "snapshots", "guide-as-written.json"))
	if err != nil {
		t.Fatal(err)
	}
	srv := iamtest.NewServer(t, iamtest.FromSnapshot(guide))
	srv.SetEnv(t)
	t.Setenv("AWS_MAX_ATTEMPTS", "1")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Fatalf("server at %s, not on loopback", srv.URL)
	}
	return srv
}

const (
	dummyKeyID  = "AKIAIOSFODNN7EXAMPLE"
	dummySecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
)

func (r *runner) checkNoSecrets() {
	r.t.Helper()
	summary, _ := os.ReadFile(r.summary)
	for _, text := range []string{r.log.String(), string(summary), fmt.Sprint(r.outputs)} {
		for _, secret := range []string{dummySecret, dummyKeyID} {
			if strings.Contains(text, secret) {
				r.t.Errorf("a credential (%s...) appears in the log, summary or outputs", secret[:4])
			}
		}
	}
}

func readSummary(t *testing.T, r *runner) string {
	t.Helper()
	b, err := os.ReadFile(r.summary)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if !strings.HasPrefix(s, "an earlier step's summary\n") {
		t.Errorf("the job summary was overwritten, not appended to:\n%.300s", s)
	}
	return s
}

// Findings: the audit step fails with exit 1, the Markdown report is in the
// job summary, the SARIF (category per account) is uploaded and the snapshot
// and the reports go to the artifact.
func TestActionFindings(t *testing.T) {
	guideServer(t)
	m := loadAction(t)
	r := newRunner(t, m, map[string]string{"frameworks": "cis-aws-5.0"})
	r.run(m)
	t.Log(r.log.String())
	if r.outputs["build"]["path"] == "" {
		t.Fatal("the build step set no path output")
	}
	out := r.outputs["audit"]
	if r.codes["Audit"] != 1 || out["exit-code"] != "1" || !r.failed {
		t.Fatalf("audit step exit %d, output exit-code %q; want 1 (the guide's account fails at high)", r.codes["Audit"], out["exit-code"])
	}
	if out["account-id"] != "123456789012" || out["sarif-category"] != "lockdown/123456789012/" {
		t.Errorf("account %q, category %q", out["account-id"], out["sarif-category"])
	}
	if out["upload-sarif"] != "true" || out["incomplete"] != "false" {
		t.Errorf("upload-sarif %q incomplete %q, want true false", out["upload-sarif"], out["incomplete"])
	}
	summary := readSummary(t, r)
	md, err := os.ReadFile(filepath.Join(out["dir"], "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(summary, string(md)) || !strings.Contains(summary, "# lockdown report") || !strings.Contains(summary, "exit 1") {
		t.Errorf("the Markdown report is not in the job summary:\n%.500s", summary)
	}
	if !strings.Contains(string(md), "cis-aws-5.0") && !strings.Contains(string(md), "CIS") {
		t.Error("the frameworks input did not reach the audit")
	}

	sarif := r.ran["Upload SARIF"]
	if sarif == nil {
		t.Fatalf("the SARIF upload did not run:\n%s", r.log.String())
	}
	if sarif["category"] != "lockdown/123456789012/" || sarif["sarif_file"] != filepath.Join(out["dir"], "report.sarif") {
		t.Errorf("SARIF upload with %v", sarif)
	}
	var doc struct {
		Runs []struct {
			AutomationDetails struct {
				ID string `json:"id"`
			} `json:"automationDetails"`
			Results []json.RawMessage `json:"results"`
		} `json:"runs"`
	}
	b, err := os.ReadFile(sarif["sarif_file"])
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Runs) != 1 || doc.Runs[0].AutomationDetails.ID != sarif["category"] || len(doc.Runs[0].Results) == 0 {
		t.Errorf("SARIF runs: %+v, want one run of category %s with results", doc.Runs, sarif["category"])
	}

	art := r.ran["Keep the snapshot and the reports"]
	if art == nil || art["path"] != out["dir"] {
		t.Fatalf("artifact step %v, want path %s", art, out["dir"])
	}
	for _, name := range []string{"snapshot.json", "report.json", "report.sarif", "report.md", "report.junit.xml"} {
		st, err := os.Stat(filepath.Join(art["path"], name))
		if err != nil {
			t.Errorf("artifact: %v", err)
			continue
		}
		if st.Size() == 0 || st.Mode().Perm() != 0o600 {
			t.Errorf("artifact %s: %d bytes, mode %v", name, st.Size(), st.Mode().Perm())
		}
	}
	if snap, _, err := snapshot.Load(filepath.Join(art["path"], "snapshot.json")); err != nil || snap.Account.ID != "123456789012" {
		t.Errorf("the artifact's snapshot: %v", err)
	}
	r.checkNoSecrets()
}

// Incomplete (exit 4): the step fails, the summary says so, the SARIF is
// not uploaded (code scanning would close the alerts the audit could not
// see) and the reports are still kept.
func TestActionIncompleteSkipsSARIF(t *testing.T) {
	srv := guideServer(t)
	srv.DenyAccess("GetAccountAuthorizationDetails")
	m := loadAction(t)
	r := newRunner(t, m, map[string]string{"fail-on": "none"})
	r.run(m)
	t.Log(r.log.String())
	out := r.outputs["audit"]
	if r.codes["Audit"] != 4 || out["exit-code"] != "4" {
		t.Fatalf("audit step exit %d, want 4", r.codes["Audit"])
	}
	if out["upload-sarif"] != "false" || out["incomplete"] != "true" {
		t.Errorf("upload-sarif %q incomplete %q, want false true", out["upload-sarif"], out["incomplete"])
	}
	if _, ok := r.ran["Upload SARIF"]; ok {
		t.Error("an incomplete audit's SARIF was uploaded")
	}
	if art := r.ran["Keep the snapshot and the reports"]; art == nil || art["path"] != out["dir"] {
		t.Errorf("an incomplete audit's reports were not kept: %v", art)
	}
	if s := readSummary(t, r); !strings.Contains(s, "incomplete audit") || !strings.Contains(s, "# lockdown report") {
		t.Errorf("summary:\n%.500s", s)
	}
	if !strings.Contains(r.log.String(), "::error title=lockdown::incomplete audit") {
		t.Error("no error annotation for the incomplete audit")
	}
	r.checkNoSecrets()
}

// Findings in an incomplete audit (exit 1 with checks NOT_ASSESSED): without
// a baseline the SARIF is held back too. With the previous run's report as
// baseline its failures are known, so they no longer count: the audit exits
// 4 (incomplete) and the SARIF is held back as for any incomplete audit.
func TestActionIncompleteWithFindings(t *testing.T) {
	srv := guideServer(t)
	m := loadAction(t)

	full := newRunner(t, m, nil)
	full.run(m)
	baseline := full.outputs["audit"]["report-json"]
	if full.outputs["audit"]["exit-code"] != "1" || baseline == "" {
		t.Fatalf("first audit: %v\n%s", full.outputs["audit"], full.log.String())
	}

	srv.DenyAccess("GetAccountPasswordPolicy")
	for _, tc := range []struct {
		baseline, exit, upload string
	}{{"", "1", "false"}, {baseline, "4", "false"}} {
		r := newRunner(t, m, map[string]string{"baseline": tc.baseline})
		r.run(m)
		out := r.outputs["audit"]
		if out["exit-code"] != tc.exit || out["incomplete"] != "true" {
			t.Fatalf("baseline %q: %v\n%s", tc.baseline, out, r.log.String())
		}
		if out["upload-sarif"] != tc.upload {
			t.Errorf("baseline %q: upload-sarif %q, want %s", tc.baseline, out["upload-sarif"], tc.upload)
		}
		if _, ran := r.ran["Upload SARIF"]; ran != (tc.upload == "true") {
			t.Errorf("baseline %q: SARIF upload ran: %v", tc.baseline, ran)
		}
	}
}

// Bad inputs are refused before anything runs (exit 2), naming the input.
func TestActionBadInputs(t *testing.T) {
	guideServer(t)
	m := loadAction(t)
	for _, tc := range []struct {
		inputs map[string]string
		want   string
	}{
		{map[string]string{"fail-on": "severe"}, "fail-on must be one of"},
		{map[string]string{"baseline": "/nonexistent/report.json"}, "baseline /nonexistent/report.json is not a file"},
		{map[string]string{"waivers": "/nonexistent/waivers.yaml"}, "waivers /nonexistent/waivers.yaml is not a file"},
		{map[string]string{"fail-on": "high; echo INJECTED"}, "fail-on must be one of"},
		{map[string]string{"baseline": "/nonexistent\n::warning::INJECTED"}, "/nonexistent%0A::warning::INJECTED is not a file"},
	} {
		r := newRunner(t, m, tc.inputs)
		r.run(m)
		if r.codes["Audit"] != 2 || !strings.Contains(r.log.String(), tc.want) {
			t.Errorf("%v: exit %d, want 2 saying %q:\n%s", tc.inputs, r.codes["Audit"], tc.want, r.log.String())
		}
		for _, line := range strings.Split(r.log.String(), "\n") {
			if strings.HasPrefix(line, "INJECTED") || strings.HasPrefix(line, "::warning::INJECTED") {
				t.Errorf("%v: an input ran as shell code or started a workflow command: %q", tc.inputs, line)
			}
		}
		if _, ok := r.ran["Upload SARIF"]; ok {
			t.Errorf("%v: SARIF uploaded after a refused input", tc.inputs)
		}
	}
}

// A waivers input reaches lockdown when it has --waivers; a lockdown without
// the flag fails the step rather than audit as if nothing were waived.
func TestActionWaiversInput(t *testing.T) {
	guideServer(t)
	m := loadAction(t)
	waivers := filepath.Join(t.TempDir(), "waivers.yaml")
	if err := os.WriteFile(waivers, []byte("schema: lockdown.waivers/v1\nwaivers: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := newRunner(t, m, map[string]string{"waivers": waivers, "fail-on": "none"})
	r.run(m)
	help, err := exec.Command(r.outputs["build"]["path"], "audit", "--help").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(help), "--waivers") {
		if r.codes["Audit"] != 2 || !strings.Contains(r.log.String(), "no --waivers flag") {
			t.Errorf("waivers with a lockdown lacking --waivers: exit %d:\n%s", r.codes["Audit"], r.log.String())
		}
		return
	}
	// The file reached lockdown: the script did not refuse it, lockdown
	// knew the flag and wrote its reports.
	if log := r.log.String(); strings.Contains(log, "no --waivers flag") || strings.Contains(log, "unknown flag") || r.outputs["audit"]["exit-code"] == "" {
		t.Errorf("waivers not passed to lockdown: exit %d:\n%s", r.codes["Audit"], log)
	}
}

// The GitLab CI example: its JUnit report and artifacts are the files the
// audit writes, kept when the job fails too.
func TestGitLabExample(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "examples", "ci", "gitlab-ci.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var jobs map[string]struct {
		Image     string                          `yaml:"image"`
		IDTokens  map[string]struct{ Aud string } `yaml:"id_tokens"`
		Script    []string                        `yaml:"script"`
		Artifacts struct {
			When    string   `yaml:"when"`
			Paths   []string `yaml:"paths"`
			Reports struct {
				JUnit string `yaml:"junit"`
			} `yaml:"reports"`
		} `yaml:"artifacts"`
	}
	if err := yaml.Unmarshal(data, &jobs); err != nil {
		t.Fatal(err)
	}
	job, ok := jobs["lockdown-audit"]
	if !ok {
		t.Fatalf("no job lockdown-audit in %v", jobs)
	}
	script := strings.Join(job.Script, "\n")
	junit := regexp.MustCompile(`-o junit=(\S+)`).FindStringSubmatch(script)
	if junit == nil || job.Artifacts.Reports.JUnit != junit[1] {
		t.Errorf("artifacts.reports.junit %q, the audit writes %v", job.Artifacts.Reports.JUnit, junit)
	}
	if job.Artifacts.When != "always" {
		t.Errorf("artifacts.when %q: a failing audit's reports would be lost", job.Artifacts.When)
	}
	for _, want := range []string{"--save-snapshot lockdown-results/", "-o json=lockdown-results/", "-o sarif=lockdown-results/", "go build"} {
		if !strings.Contains(script, want) {
			t.Errorf("script lacks %q", want)
		}
	}
	if len(job.Artifacts.Paths) != 1 || job.Artifacts.Paths[0] != "lockdown-results/" {
		t.Errorf("artifacts.paths %v", job.Artifacts.Paths)
	}
	if job.IDTokens["LOCKDOWN_ID_TOKEN"].Aud != "sts.amazonaws.com" || !strings.Contains(script, "AWS_WEB_IDENTITY_TOKEN_FILE") {
		t.Error("the example does not take AWS credentials from GitLab's OIDC token")
	}
	if strings.Contains(script, "echo \"$LOCKDOWN_ID_TOKEN") || strings.Contains(script, "set -x") {
		t.Error("the example could print the ID token")
	}
}
