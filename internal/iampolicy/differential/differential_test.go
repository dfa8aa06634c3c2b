package differential

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/iampolicy"
)

const (
	seed   = 20261127
	nCases = 4000
)

var repoRoot = filepath.Join("..", "..", "..")

// Signature identifies a case by content, so a known difference stays tied
// to the exact policies and request even if the generator changes.
func Signature(c *Case) string {
	b, err := json.Marshal(c)
	if err != nil {
		panic(err)
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:8])
}

func TestGeneratorDeterministicAndCovering(t *testing.T) {
	a, b := Generate(seed, nCases), Generate(seed, nCases)
	var ba, bb bytes.Buffer
	if err := WriteCases(&ba, a); err != nil {
		t.Fatal(err)
	}
	if err := WriteCases(&bb, b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ba.Bytes(), bb.Bytes()) {
		t.Fatal("Generate is not deterministic: two runs with the same seed differ")
	}
	var bc bytes.Buffer
	if err := WriteCases(&bc, Generate(seed+1, nCases)); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(ba.Bytes(), bc.Bytes()) {
		t.Fatal("Generate ignores its seed")
	}

	count := map[string]int{}
	for i := range a {
		for _, f := range a[i].Features {
			count[f]++
		}
		if _, err := a[i].PolicySet(); err != nil {
			t.Errorf("case %s: generated policy does not parse: %v", a[i].ID, err)
		}
	}
	const minFamily = 150
	for _, fam := range Families {
		if n := count["family:"+fam]; n < minFamily {
			t.Errorf("operator family %s used in %d cases, want >= %d", fam, n, minFamily)
		}
		for _, op := range familyOps[fam] {
			if n := count["op:"+op]; n < 30 {
				t.Errorf("operator %s used in %d cases, want >= 30", op, n)
			}
		}
	}
	for _, f := range []string{
		"ifexists", "forallvalues", "foranyvalue", "multivalued", "missing-key", "key-case",
		"notaction", "notresource", "action-wildcard", "action-case", "resource-wildcard", "resource-segment-wildcard",
		"version:2008", "version:absent", "deny", "boundary", "guide-mfa", "variable", "condition-variable",
		"var:${aws:username}", "var:${aws:userid}", "var:${aws:PrincipalTag/team}", "var:${*}", "var:${?}", "var:${$}",
		"var:${aws:username, 'alice'}", "var:${aws:PrincipalTag/missing, 'bob'}",
		"unresolvable-variable", "unresolvable-variable-notresource",
		"ctx:access_key", "ctx:session_no_mfa", "ctx:mfa_session", "principal:user", "principal:assumed-role",
	} {
		if count[f] < 20 {
			t.Errorf("feature %s covered by %d cases, want >= 20", f, count[f])
		}
	}
	if t.Failed() || testing.Verbose() {
		keys := make([]string, 0, len(count))
		for k := range count {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			t.Logf("%-45s %d", k, count[k])
		}
	}
}

func TestDifferential(t *testing.T) {
	if os.Getenv("LOCKDOWN_IAMSIM") != "1" {
		t.Skip("differential run against @cloud-copilot/iam-simulate needs Node.js and npm: run with LOCKDOWN_IAMSIM=1 (make test sets it)")
	}
	ctx := context.Background()
	tool := Tool{Root: repoRoot}
	if err := tool.Installed(); err != nil {
		t.Fatal(err)
	}
	known, err := LoadKnown(filepath.Join("KNOWN_DIFFERENCES.md"))
	if err != nil {
		t.Fatal(err)
	}
	cases := append(Generate(seed, nCases), Pinned()...)
	sims, err := tool.Run(ctx, cases)
	if err != nil {
		t.Fatal(err)
	}
	// LOCKDOWN_IAMSIM_DUMP=FILE writes every disagreement in full for triage.
	var dump *os.File
	if p := os.Getenv("LOCKDOWN_IAMSIM_DUMP"); p != "" {
		if dump, err = os.Create(p); err != nil {
			t.Fatal(err)
		}
		defer dump.Close()
	}
	var agree, knownHit, disagree, bothReject int
	byEffect := map[iampolicy.Effect]int{}
	usedKnown := map[string]bool{}
	for i := range cases {
		c, s := &cases[i], sims[i]
		sig := Signature(c)
		if len(s.Ignored) > 0 {
			t.Errorf("case %s: simulator ignored context keys %v (generator must use keys it accepts)", c.ID, s.Ignored)
			continue
		}
		set, perr := c.PolicySet()
		if perr != nil || s.Error != "" {
			if perr != nil && s.Error != "" {
				bothReject++
				continue
			}
			t.Errorf("case %s (sig %s): lockdown parse error %v, simulator error %q\n%s", c.ID, sig, perr, s.Error, caseJSON(c))
			disagree++
			continue
		}
		want, ok := SimEffect(s.Result)
		if !ok {
			t.Errorf("case %s: simulator returned unknown result %q", c.ID, s.Result)
			continue
		}
		got := iampolicy.Evaluate(set, c.GoRequest()).Effect
		if strings.HasPrefix(c.ID, "pin-") {
			t.Logf("pinned %s (sig %s): lockdown %s, iam-simulate %s", c.ID, sig, got, want)
		}
		if got == want {
			agree++
			byEffect[got]++
			if k, ok := known[sig]; ok {
				t.Errorf("KNOWN_DIFFERENCES.md entry %s (%s) is stale: both now answer %s", sig, k.ID, got)
			}
			continue
		}
		if k, ok := known[sig]; ok && k.Lockdown == string(got) && k.Simulator == string(want) {
			knownHit++
			usedKnown[sig] = true
			continue
		}
		disagree++
		if dump != nil {
			d := iampolicy.Evaluate(set, c.GoRequest())
			fmt.Fprintf(dump, "=== %s sig %s lockdown %s iam-simulate %s\n%s\nreason: %s\n", c.ID, sig, got, want, caseJSON(c), d.Reason)
		}
		if disagree <= 40 {
			t.Errorf("case %s (sig %s): lockdown %s, iam-simulate %s\n%s", c.ID, sig, got, want, caseJSON(c))
		}
	}
	for sig, k := range known {
		if !usedKnown[sig] && k.Status != "fixed" {
			t.Logf("KNOWN_DIFFERENCES.md entry %s (%s) did not occur in this run", sig, k.ID)
		}
	}
	t.Logf("%d cases: %d agree (Allow %d, ExplicitDeny %d, ImplicitDeny %d), %d rejected by both, %d known differences, %d disagreements",
		len(cases), agree, byEffect[iampolicy.Allow], byEffect[iampolicy.ExplicitDeny], byEffect[iampolicy.ImplicitDeny], bothReject, knownHit, disagree)
	if disagree > 0 {
		t.Errorf("%d unexplained disagreements (first 40 shown)", disagree)
	}
	// A comparison that only ever sees one answer proves little.
	for _, e := range []iampolicy.Effect{iampolicy.Allow, iampolicy.ExplicitDeny, iampolicy.ImplicitDeny} {
		if byEffect[e] < len(cases)/10 {
			t.Errorf("only %d of %d agreeing cases are %s; the generator should reach every outcome often", byEffect[e], len(cases), e)
		}
	}
}

func caseJSON(c *Case) string {
	b, _ := json.MarshalIndent(c, "", "  ")
	return string(b)
}

// KnownDifference is one entry of KNOWN_DIFFERENCES.md.
type KnownDifference struct {
	ID, Sig             string
	Lockdown, Simulator string
	Status              string // "open" or "simulator" (the simulator is wrong) or "fixed"
}

// LoadKnown reads the entry lines of KNOWN_DIFFERENCES.md:
//
//   - case c00123 sig 0123456789abcdef: lockdown ImplicitDeny, iam-simulate Allow, open
//
// Every section that lists cases must also carry a docs.aws.amazon.com URL
// and a quote ("> ...") that decides it.
func LoadKnown(path string) (map[string]KnownDifference, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[string]KnownDifference{}
	sections := strings.Split("\n"+string(b), "\n## ")
	for si, sec := range sections {
		lines := strings.Split(sec, "\n")
		hasCase := false
		for ln, line := range lines {
			line = strings.TrimSpace(line)
			if !strings.HasPrefix(line, "- case ") {
				continue
			}
			hasCase = true
			var k KnownDifference
			var rest string
			if _, err := fmt.Sscanf(line, "- case %s sig %s lockdown %s iam-simulate %s %s", &k.ID, &k.Sig, &k.Lockdown, &k.Simulator, &rest); err != nil {
				return nil, fmt.Errorf("%s: section %d line %d: %q: want \"- case ID sig SIG: lockdown EFFECT, iam-simulate EFFECT, STATUS\": %v", path, si, ln+1, line, err)
			}
			k.Sig = strings.TrimSuffix(k.Sig, ":")
			k.Lockdown = strings.TrimSuffix(k.Lockdown, ",")
			k.Simulator = strings.TrimSuffix(k.Simulator, ",")
			k.Status = rest
			if _, ok := SimEffect(k.Simulator); ok {
				e, _ := SimEffect(k.Simulator)
				k.Simulator = string(e)
			}
			out[k.Sig] = k
		}
		if hasCase && (!strings.Contains(sec, "https://docs.aws.amazon.com/") || !strings.Contains(sec, "\n> ")) {
			return nil, fmt.Errorf("%s: section %q lists cases but lacks an AWS documentation URL or a quoted passage", path, lines[0])
		}
	}
	return out, nil
}

// TestMinimizeDisagreements shrinks every disagreement and writes them to
// the file named by LOCKDOWN_IAMSIM_MINIMIZE, for triage.
func TestMinimizeDisagreements(t *testing.T) {
	out := os.Getenv("LOCKDOWN_IAMSIM_MINIMIZE")
	if out == "" {
		t.Skip("set LOCKDOWN_IAMSIM_MINIMIZE=FILE to shrink the disagreements of the differential run into FILE")
	}
	ctx := context.Background()
	tool := Tool{Root: repoRoot}
	if err := tool.Installed(); err != nil {
		t.Fatal(err)
	}
	cases := Generate(seed, nCases)
	sims, err := tool.Run(ctx, cases)
	if err != nil {
		t.Fatal(err)
	}
	var ds []Disagreement
	for i := range cases {
		got, want, err := Compare(&cases[i], sims[i])
		if err == nil && got != want && len(sims[i].Ignored) == 0 {
			ds = append(ds, Disagreement{Case: cases[i], Lockdown: got, Simulator: want})
		}
	}
	min, err := Minimize(ctx, tool, ds)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	for i := range min {
		b, _ := json.Marshal(&min[i].Case)
		fmt.Fprintf(&buf, "%s sig %s lockdown %s iam-simulate %s\n%s\n", ds[i].Case.ID, Signature(&ds[i].Case), min[i].Lockdown, min[i].Simulator, b)
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d disagreements minimized into %s", len(min), out)
}

// TestKnownDifferencesFile checks, without Node.js, that every entry of
// KNOWN_DIFFERENCES.md names an existing case by its current signature.
func TestKnownDifferencesFile(t *testing.T) {
	known, err := LoadKnown("KNOWN_DIFFERENCES.md")
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*Case{}
	all := append(Generate(seed, nCases), Pinned()...)
	for i := range all {
		byID[all[i].ID] = &all[i]
	}
	for sig, k := range known {
		c, ok := byID[k.ID]
		if !ok {
			t.Errorf("KNOWN_DIFFERENCES.md: case %s does not exist", k.ID)
			continue
		}
		if got := Signature(c); got != sig {
			t.Errorf("KNOWN_DIFFERENCES.md: case %s has signature %s now, the entry says %s", k.ID, got, sig)
		}
		if k.Lockdown == k.Simulator {
			t.Errorf("KNOWN_DIFFERENCES.md: case %s lists the same answer twice", k.ID)
		}
		if k.Status != "open" && k.Status != "simulator" {
			t.Errorf("KNOWN_DIFFERENCES.md: case %s has status %q, want open or simulator", k.ID, k.Status)
		}
	}
	if len(known) == 0 {
		t.Error("KNOWN_DIFFERENCES.md lists no cases; the pinned simulator bugs should be there")
	}
}

func TestLoadKnownRejectsEntriesWithoutEvidence(t *testing.T) {
	p := filepath.Join(t.TempDir(), "k.md")
	doc := "# x\n\n## A difference\n\n- case c1 sig 0011223344556677: lockdown Allow, iam-simulate ImplicitlyDenied, open\n"
	if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadKnown(p); err == nil || !strings.Contains(err.Error(), "documentation URL") {
		t.Fatalf("LoadKnown accepted an entry without URL and quote: %v", err)
	}
	doc += "\nhttps://docs.aws.amazon.com/IAM/latest/UserGuide/x.html\n\n> quoted text\n"
	if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	k, err := LoadKnown(p)
	if err != nil {
		t.Fatal(err)
	}
	e := k["0011223344556677"]
	if e.ID != "c1" || e.Lockdown != "Allow" || e.Simulator != "ImplicitDeny" || e.Status != "open" {
		t.Fatalf("parsed entry %+v", e)
	}
}

// TestDifferentialOrgPolicies compares decisions under service and resource
// control policies with the independent simulator. A case whose policies
// without the organization levels already get different answers (a known
// difference of the identity logic) is left out, so every disagreement
// counted here is about SCPs or RCPs.
func TestDifferentialOrgPolicies(t *testing.T) {
	if os.Getenv("LOCKDOWN_IAMSIM") != "1" {
		t.Skip("differential run against @cloud-copilot/iam-simulate needs Node.js and npm: run with LOCKDOWN_IAMSIM=1 (make test sets it)")
	}
	tool := Tool{Root: repoRoot}
	if err := tool.Installed(); err != nil {
		t.Fatal(err)
	}
	cases := GenerateOrg(seed+1, 3000)
	base := make([]Case, len(cases))
	for i, c := range cases {
		c.ID, c.SCPs, c.RCPs = c.ID+"-base", nil, nil
		base[i] = c
	}
	sims, err := tool.Run(context.Background(), append(append([]Case{}, cases...), base...))
	if err != nil {
		t.Fatal(err)
	}
	var agree, baseDiffers, bothReject, disagree, orgDecided, spanning int
	byEffect := map[iampolicy.Effect]int{}
	for i := range cases {
		c, s, bs := &cases[i], sims[i], sims[len(cases)+i]
		set, perr := c.PolicySet()
		if perr != nil || s.Error != "" || bs.Error != "" {
			if perr != nil && s.Error != "" {
				bothReject++
				continue
			}
			t.Errorf("case %s: lockdown parse error %v, simulator error %q / base %q\n%s", c.ID, perr, s.Error, bs.Error, caseJSON(c))
			disagree++
			continue
		}
		bset, _ := base[i].PolicySet()
		bwant, _ := SimEffect(bs.Result)
		bgot := iampolicy.Evaluate(bset, base[i].GoRequest()).Effect
		if bgot != bwant {
			baseDiffers++
			continue
		}
		want, ok := SimEffect(s.Result)
		if !ok {
			t.Errorf("case %s: simulator returned unknown result %q", c.ID, s.Result)
			continue
		}
		d := iampolicy.Evaluate(set, c.GoRequest())
		if d.Effect == want {
			agree++
			byEffect[want]++
			if want != bwant {
				orgDecided++
			}
			continue
		}
		if rcpSpansSegments(c, d) {
			spanning++
			continue
		}
		disagree++
		if disagree <= 20 {
			t.Errorf("case %s: lockdown %s (%s), iam-simulate %s\n%s", c.ID, d.Effect, d.Reason, want, caseJSON(c))
		}
	}
	t.Logf("%d org cases: %d agree (Allow %d, ExplicitDeny %d, ImplicitDeny %d; %d where the organization policies changed the answer), %d rejected by both, %d left out (base policies already differ), %d RCP wildcards across ARN segments, %d disagreements",
		len(cases), agree, byEffect[iampolicy.Allow], byEffect[iampolicy.ExplicitDeny], byEffect[iampolicy.ImplicitDeny], orgDecided, bothReject, baseDiffers, spanning, disagree)
	if disagree > 0 {
		t.Errorf("%d disagreements about organization policies (first 20 shown)", disagree)
	}
	if orgDecided < len(cases)/10 {
		t.Errorf("the organization policies changed only %d of %d answers; the generator should make them decisive often", orgDecided, len(cases))
	}
}

// rcpSpansSegments reports the one known difference under organization
// policies: lockdown denied by an RCP statement whose Resource pattern has
// fewer than six ARN fields and ends in "*" (such as arn:aws:sqs:us-west-2:123*),
// a wildcard that runs on into the account and resource fields. lockdown
// matches such a pattern in an RCP as it does in every other policy (where
// the simulator agrees); the simulator's RCP evaluation does not.
func rcpSpansSegments(c *Case, d iampolicy.Decision) bool {
	if d.Effect != iampolicy.ExplicitDeny || !strings.Contains(d.Reason, "rcp policy") {
		return false
	}
	for _, lv := range c.RCPs {
		for _, doc := range lv.Policies {
			var p struct {
				Statement []struct {
					Resource any
				}
			}
			if json.Unmarshal(doc, &p) != nil {
				return false
			}
			for _, st := range p.Statement {
				var rs []any
				switch r := st.Resource.(type) {
				case string:
					rs = []any{r}
				case []any:
					rs = r
				}
				for _, r := range rs {
					if s, ok := r.(string); ok && strings.Count(s, ":") < 5 && strings.HasSuffix(s, "*") {
						return true
					}
				}
			}
		}
	}
	return false
}
