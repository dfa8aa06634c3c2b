package frameworks

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The framework names are part of the report contract (--framework, the
// controls object of every result).
var wantNames = []string{"aws-securityhub", "cis-aws-5.0", "cis-aws-6.0", "cis-aws-7.0"}

func loadAll(t *testing.T) []*Framework {
	t.Helper()
	fws, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return fws
}

func mustGet(t *testing.T, fws []*Framework, name string) *Framework {
	t.Helper()
	fw, ok := ByName(fws, name)
	if !ok {
		t.Fatalf("framework %s is not embedded", name)
	}
	return fw
}

// namesProblem says what is wrong with the set of framework names.
func namesProblem(fws []*Framework) error {
	var got []string
	for _, fw := range fws {
		got = append(got, fw.Name)
	}
	slices.Sort(got)
	if !slices.Equal(got, wantNames) {
		return fmt.Errorf("framework names are %q, want exactly %q", got, wantNames)
	}
	return nil
}

func TestFrameworkNamesAreExactlyTheFour(t *testing.T) {
	if err := namesProblem(loadAll(t)); err != nil {
		t.Error(err)
	}
	// The rule itself rejects a missing, an extra and a misspelt name.
	for _, names := range [][]string{
		{"aws-securityhub", "cis-aws-5.0", "cis-aws-6.0"},
		{"aws-securityhub", "cis-aws-5.0", "cis-aws-6.0", "cis-aws-7.0", "cis-aws-8.0"},
		{"aws-securityhub", "cis-aws-5.0", "cis-aws-6.0", "cis-aws-v7.0"},
	} {
		var fws []*Framework
		for _, n := range names {
			fws = append(fws, &Framework{Name: n})
		}
		if namesProblem(fws) == nil {
			t.Errorf("names %q accepted", names)
		}
	}
}

// controlProblems checks, beyond Parse, what every embedded framework must
// satisfy: unique IDs, automated controls mapped, manual ones with a reason,
// and a level from the framework's own vocabulary.
func controlProblems(fw *Framework) []string {
	levels := map[string]bool{"Level 1": true, "Level 2": true}
	if fw.Name == "aws-securityhub" {
		levels = map[string]bool{"critical": true, "high": true, "medium": true, "low": true, "informational": true}
	}
	var out []string
	seen := map[string]bool{}
	for _, c := range fw.Controls {
		if seen[c.ID] {
			out = append(out, fmt.Sprintf("%s %s: duplicate control id", fw.Name, c.ID))
		}
		seen[c.ID] = true
		if c.Automated && len(c.Checks) == 0 {
			out = append(out, fmt.Sprintf("%s %s: automated but mapped to no check", fw.Name, c.ID))
		}
		if !c.Automated && strings.TrimSpace(c.Reason) == "" {
			out = append(out, fmt.Sprintf("%s %s: manual without a reason", fw.Name, c.ID))
		}
		if !levels[c.Level] {
			out = append(out, fmt.Sprintf("%s %s: level %q is not one of the framework's", fw.Name, c.ID, c.Level))
		}
	}
	return out
}

func TestEmbeddedControlsAreWellFormed(t *testing.T) {
	for _, fw := range loadAll(t) {
		for _, p := range controlProblems(fw) {
			t.Error(p)
		}
	}
	bad := &Framework{Name: "cis-aws-5.0", Controls: []Control{
		{ID: "1.1", Level: "Level 1", Automated: true},
		{ID: "1.1", Level: "Level 3", Automated: false},
		{ID: "1.2", Level: "L1", Automated: false, Reason: " "},
	}}
	if got := len(controlProblems(bad)); got != 6 {
		t.Errorf("controlProblems found %d problems in a framework with 6: %q", got, controlProblems(bad))
	}
	sh := &Framework{Name: "aws-securityhub", Controls: []Control{{ID: "IAM.1", Level: "Level 1", Automated: true, Checks: []string{"C"}}}}
	if len(controlProblems(sh)) != 1 {
		t.Error("a CIS profile accepted as a Security Hub severity")
	}
}

// TestControlIDsAreComplete checks that no control was silently left out:
// CIS v5.0 section 1 is 1.1 to 1.21, v6.0 section 2 is 2.1 to 2.21, v7.0 is
// 2.1.1 to 2.1.6 then 2.2 to 2.21, Security Hub is IAM.1 to IAM.28, each in
// order.
func TestControlIDsAreComplete(t *testing.T) {
	seq := func(prefix string, from, to int) []string {
		var s []string
		for i := from; i <= to; i++ {
			s = append(s, fmt.Sprintf("%s%d", prefix, i))
		}
		return s
	}
	want := map[string][]string{
		"cis-aws-5.0":     seq("1.", 1, 21),
		"cis-aws-6.0":     seq("2.", 1, 21),
		"cis-aws-7.0":     append(seq("2.1.", 1, 6), seq("2.", 2, 21)...),
		"aws-securityhub": append(seq("IAM.", 1, 19), seq("IAM.", 21, 28)...), // IAM.20 is retired
	}
	fws := loadAll(t)
	for name, ids := range want {
		var got []string
		for _, c := range mustGet(t, fws, name).Controls {
			got = append(got, c.ID)
		}
		if !slices.Equal(got, ids) {
			t.Errorf("%s control IDs:\n got %q\nwant %q", name, got, ids)
		}
	}
}

func TestParseRejectsBadShapes(t *testing.T) {
	const head = "name: x\ntitle: t\nversion: v\nsource: https://example.com/\n"
	ok := "{id: a, title: t, level: L, automated: true, checks: [C]}"
	for name, text := range map[string]string{
		"empty":                  "",
		"unknown key":            head + "bogus: 1\ncontrols: [" + ok + "]\n",
		"unknown control key":    head + "controls: [{id: a, title: t, level: L, automated: true, checks: [C], bogus: 1}]\n",
		"wrong name":             strings.Replace(head, "name: x", "name: y", 1) + "controls: [" + ok + "]\n",
		"no title":               strings.Replace(head, "title: t\n", "", 1) + "controls: [" + ok + "]\n",
		"no version":             strings.Replace(head, "version: v\n", "", 1) + "controls: [" + ok + "]\n",
		"no source":              strings.Replace(head, "source: https://example.com/\n", "", 1) + "controls: [" + ok + "]\n",
		"source not https":       strings.Replace(head, "https://", "http://", 1) + "controls: [" + ok + "]\n",
		"no controls":            head + "controls: []\n",
		"control without id":     head + "controls: [{title: t, level: L, automated: true, checks: [C]}]\n",
		"control without title":  head + "controls: [{id: a, level: L, automated: true, checks: [C]}]\n",
		"duplicate id":           head + "controls: [" + ok + ", {id: a, title: u, level: L, automated: true, checks: [C]}]\n",
		"no level":               head + "controls: [{id: a, title: t, automated: true, checks: [C]}]\n",
		"unmapped":               head + "controls: [{id: a, title: t, level: L, automated: true}]\n",
		"automated with reason":  head + "controls: [{id: a, title: t, level: L, automated: true, checks: [C], reason: r}]\n",
		"check named twice":      head + "controls: [{id: a, title: t, level: L, automated: true, checks: [C, C]}]\n",
		"empty check id":         head + "controls: [{id: a, title: t, level: L, automated: true, checks: [\"\"]}]\n",
		"manual no why":          head + "controls: [{id: a, title: t, level: L, automated: false}]\n",
		"manual blank why":       head + "controls: [{id: a, title: t, level: L, automated: false, reason: \"  \"}]\n",
		"manual, checks":         head + "controls: [{id: a, title: t, level: L, automated: false, reason: r, checks: [C]}]\n",
		"v5 without crosswalk":   head + "controls: [{id: a, title: t, level: L, automated: true, checks: [C], v5: \"1.1\"}]\n",
		"new without crosswalk":  head + "controls: [{id: a, title: t, level: L, automated: true, checks: [C], new: true}]\n",
		"differ w/o crosswalk":   head + "controls: [{id: a, title: t, level: L, automated: true, checks: [C], checks_differ: r}]\n",
		"crosswalk other base":   head + "crosswalk: {from: cis-aws-6.0}\ncontrols: [{id: a, title: t, level: L, automated: true, checks: [C], v5: \"1.1\"}]\n",
		"crosswalk, no v5/new":   head + "crosswalk: {from: cis-aws-5.0}\ncontrols: [" + ok + "]\n",
		"crosswalk, v5 and new":  head + "crosswalk: {from: cis-aws-5.0}\ncontrols: [{id: a, title: t, level: L, automated: true, checks: [C], v5: \"1.1\", new: true}]\n",
		"new with checks_differ": head + "crosswalk: {from: cis-aws-5.0}\ncontrols: [{id: a, title: t, level: L, automated: true, checks: [C], new: true, checks_differ: r}]\n",
		"v5 continued twice":     head + "crosswalk: {from: cis-aws-5.0}\ncontrols: [{id: a, title: t, level: L, automated: true, checks: [C], v5: \"1.1\"}, {id: b, title: t, level: L, automated: true, checks: [C], v5: \"1.1\"}]\n",
		"dropped and continued":  head + "crosswalk: {from: cis-aws-5.0, dropped: [{id: \"1.1\", reason: r}]}\ncontrols: [{id: a, title: t, level: L, automated: true, checks: [C], v5: \"1.1\"}]\n",
		"dropped twice":          head + "crosswalk: {from: cis-aws-5.0, dropped: [{id: \"1.2\", reason: r}, {id: \"1.2\", reason: r}]}\ncontrols: [{id: a, title: t, level: L, automated: true, checks: [C], new: true}]\n",
		"dropped without why":    head + "crosswalk: {from: cis-aws-5.0, dropped: [{id: \"1.2\"}]}\ncontrols: [{id: a, title: t, level: L, automated: true, checks: [C], new: true}]\n",
		"dropped without id":     head + "crosswalk: {from: cis-aws-5.0, dropped: [{reason: r}]}\ncontrols: [{id: a, title: t, level: L, automated: true, checks: [C], new: true}]\n",
	} {
		if _, err := Parse("x.yaml", []byte(text)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	base := "name: cis-aws-5.0\ntitle: t\nversion: v\nsource: https://example.com/\ncrosswalk: {from: cis-aws-5.0}\ncontrols: [{id: a, title: t, level: L, automated: true, checks: [C], new: true}]\n"
	if _, err := Parse("cis-aws-5.0.yaml", []byte(base)); err == nil {
		t.Error("a crosswalk on the crosswalk base itself: accepted")
	}
	for name, text := range map[string]string{
		"manual":    head + "controls: [{id: a, title: t, level: L, automated: false, reason: r}]\n",
		"automated": head + "controls: [" + ok + "]\n",
		"crosswalk": head + "crosswalk: {from: cis-aws-5.0, dropped: [{id: \"1.2\", reason: r}]}\ncontrols: [{id: a, title: t, level: L, automated: true, checks: [C], v5: \"1.1\", checks_differ: r, note: n}, {id: b, title: t, level: L, automated: false, reason: r, new: true}]\n",
	} {
		if _, err := Parse("x.yaml", []byte(text)); err != nil {
			t.Errorf("valid %s file rejected: %v", name, err)
		}
	}
}

// crosswalkFixture is a base framework with three controls and a later one
// continuing two of them and dropping the third.
func crosswalkFixture() []*Framework {
	base := &Framework{Name: CrosswalkBase, Controls: []Control{
		{ID: "1.1", Automated: false, Reason: "r"},
		{ID: "1.2", Automated: true, Checks: []string{"A", "B"}},
		{ID: "1.3", Automated: true, Checks: []string{"C"}},
	}}
	later := &Framework{Name: "cis-aws-9.0", Crosswalk: &Crosswalk{From: CrosswalkBase, Dropped: []Dropped{{ID: "1.3", Reason: "r"}}}, Controls: []Control{
		{ID: "2.1", V5: "1.1", Automated: false, Reason: "r"},
		{ID: "2.2", V5: "1.2", Automated: true, Checks: []string{"B", "A"}},
		{ID: "2.3", New: true, Automated: true, Checks: []string{"D"}},
	}}
	return []*Framework{base, later}
}

func TestCheckCrosswalks(t *testing.T) {
	if err := CheckCrosswalks(crosswalkFixture()); err != nil {
		t.Fatalf("valid crosswalk rejected: %v", err)
	}
	for name, breakIt := range map[string]func(base, later *Framework){
		"base missing":           func(base, _ *Framework) { base.Name = "other" },
		"v5 unknown":             func(_, l *Framework) { l.Controls[0].V5 = "1.9" },
		"dropped unknown":        func(_, l *Framework) { l.Crosswalk.Dropped[0].ID = "1.9" },
		"base control forgotten": func(_, l *Framework) { l.Crosswalk.Dropped = nil },
		"other checks":           func(_, l *Framework) { l.Controls[1].Checks = []string{"A"} },
		"extra check":            func(_, l *Framework) { l.Controls[1].Checks = []string{"A", "B", "E"} },
		"now manual": func(_, l *Framework) {
			l.Controls[1].Automated, l.Controls[1].Checks, l.Controls[1].Reason = false, nil, "r"
		},
		"now automated": func(_, l *Framework) {
			l.Controls[0].Automated, l.Controls[0].Checks, l.Controls[0].Reason = true, []string{"A"}, ""
		},
		"differ but same": func(_, l *Framework) { l.Controls[1].ChecksDiffer = "says so" },
	} {
		fws := crosswalkFixture()
		breakIt(fws[0], fws[1])
		if err := CheckCrosswalks(fws); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	fws := crosswalkFixture()
	fws[1].Controls[1].Checks = []string{"A"}
	fws[1].Controls[1].ChecksDiffer = "B no longer applies"
	if err := CheckCrosswalks(fws); err != nil {
		t.Errorf("different checks with a reason rejected: %v", err)
	}
}

// TestV6RenumbersV5 checks that v6.0 renumbers v5.0's
// section 1 as section 2: a one-to-one mapping 1.N -> 2.N, nothing new,
// nothing dropped, the same titles, levels and checks.
func TestV6RenumbersV5(t *testing.T) {
	fws := loadAll(t)
	v5, v6 := mustGet(t, fws, "cis-aws-5.0"), mustGet(t, fws, "cis-aws-6.0")
	for _, p := range renumberingProblems(v5, v6) {
		t.Error(p)
	}
	// The rule rejects a new control, a swapped mapping and a dropped one.
	broken := *v6
	broken.Controls = slices.Clone(v6.Controls)
	broken.Controls[3].V5, broken.Controls[4].V5 = broken.Controls[4].V5, broken.Controls[3].V5
	broken.Controls[5].V5, broken.Controls[5].New = "", true
	broken.Crosswalk = &Crosswalk{From: CrosswalkBase, Dropped: []Dropped{{ID: "1.6", Reason: "r"}}}
	if got := len(renumberingProblems(v5, &broken)); got < 3 {
		t.Errorf("renumberingProblems found %d problems in a broken v6, want at least 3", got)
	}
}

func renumberingProblems(v5, v6 *Framework) []string {
	var out []string
	if v6.Crosswalk == nil || v6.Crosswalk.From != v5.Name {
		return []string{"cis-aws-6.0 has no crosswalk to cis-aws-5.0"}
	}
	if len(v6.Crosswalk.Dropped) > 0 {
		out = append(out, fmt.Sprintf("cis-aws-6.0 drops %v, but it only renumbers", v6.Crosswalk.Dropped))
	}
	byID := map[string]Control{}
	for _, c := range v5.Controls {
		byID[c.ID] = c
	}
	if len(v6.Controls) != len(v5.Controls) {
		out = append(out, fmt.Sprintf("cis-aws-6.0 has %d controls, cis-aws-5.0 %d", len(v6.Controls), len(v5.Controls)))
	}
	for _, c := range v6.Controls {
		if c.New || c.V5 == "" {
			out = append(out, fmt.Sprintf("cis-aws-6.0 %s is new, but v6.0 only renumbers", c.ID))
			continue
		}
		if want := "2." + strings.TrimPrefix(c.V5, "1."); c.ID != want {
			out = append(out, fmt.Sprintf("cis-aws-6.0 %s continues v5.0 %s, want it numbered %s", c.ID, c.V5, want))
		}
		b := byID[c.V5]
		if b.Title != c.Title || b.Level != c.Level || !slices.Equal(b.Checks, c.Checks) || b.Automated != c.Automated {
			out = append(out, fmt.Sprintf("cis-aws-6.0 %s differs from v5.0 %s in title, level or checks", c.ID, c.V5))
		}
	}
	return out
}

// TestV7Crosswalk checks v7.0's changes: 2.1.1 to
// 2.1.6 and 2.21 are new, v5.0's 1.10 and 1.12 are dropped, every other
// v5.0 control is continued exactly once, in v5.0's order.
func TestV7Crosswalk(t *testing.T) {
	fws := loadAll(t)
	v5, v7 := mustGet(t, fws, "cis-aws-5.0"), mustGet(t, fws, "cis-aws-7.0")
	for _, p := range v7Problems(v5, v7) {
		t.Error(p)
	}
	broken := *v7
	broken.Controls = slices.Clone(v7.Controls)
	broken.Controls[0].New, broken.Controls[0].V5 = false, "1.10" // an Organizations item as if continued
	broken.Controls[7].V5, broken.Controls[8].V5 = broken.Controls[8].V5, broken.Controls[7].V5
	if got := len(v7Problems(v5, &broken)); got < 2 {
		t.Errorf("v7Problems found %d problems in a broken v7, want at least 2", got)
	}
}

func v7Problems(v5, v7 *Framework) []string {
	var out []string
	if v7.Crosswalk == nil || v7.Crosswalk.From != v5.Name {
		return []string{"cis-aws-7.0 has no crosswalk to cis-aws-5.0"}
	}
	wantNew := []string{"2.1.1", "2.1.2", "2.1.3", "2.1.4", "2.1.5", "2.1.6", "2.21"}
	wantDropped := []string{"1.10", "1.12"}
	var gotNew, gotDropped, continued []string
	for _, c := range v7.Controls {
		if c.New {
			gotNew = append(gotNew, c.ID)
		} else {
			continued = append(continued, c.V5)
		}
	}
	for _, d := range v7.Crosswalk.Dropped {
		gotDropped = append(gotDropped, d.ID)
	}
	if !slices.Equal(gotNew, wantNew) {
		out = append(out, fmt.Sprintf("cis-aws-7.0 new controls %q, want %q", gotNew, wantNew))
	}
	if !slices.Equal(gotDropped, wantDropped) {
		out = append(out, fmt.Sprintf("cis-aws-7.0 drops %q, want %q", gotDropped, wantDropped))
	}
	var wantContinued []string
	for _, c := range v5.Controls {
		if !slices.Contains(wantDropped, c.ID) {
			wantContinued = append(wantContinued, c.ID)
		}
	}
	if !slices.Equal(continued, wantContinued) {
		out = append(out, fmt.Sprintf("cis-aws-7.0 continues %q in this order, want %q (v5.0's order, renumbered)", continued, wantContinued))
	}
	return out
}

func TestControlsByCheck(t *testing.T) {
	fws := crosswalkFixture()
	got := ControlsByCheck(fws)
	want := map[string]map[string][]string{
		"A": {CrosswalkBase: {"1.2"}, "cis-aws-9.0": {"2.2"}},
		"B": {CrosswalkBase: {"1.2"}, "cis-aws-9.0": {"2.2"}},
		"C": {CrosswalkBase: {"1.3"}},
		"D": {"cis-aws-9.0": {"2.3"}},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("ControlsByCheck = %v, want %v", got, want)
	}
	// The embedded data: a root MFA result decides CIS 1.4, 2.4, 2.5 and IAM.9.
	root := ControlsByCheck(loadAll(t))["LD-ROOT-01"]
	wantRoot := map[string][]string{"cis-aws-5.0": {"1.4"}, "cis-aws-6.0": {"2.4"}, "cis-aws-7.0": {"2.5"}, "aws-securityhub": {"IAM.9"}}
	if fmt.Sprint(root) != fmt.Sprint(wantRoot) {
		t.Errorf("LD-ROOT-01 decides %v, want %v", root, wantRoot)
	}
}

var checkIDPattern = regexp.MustCompile(`^LD-[A-Z0-9]+-[0-9]{2}$`)

func TestCheckIDsLookLikeCheckIDs(t *testing.T) {
	for _, fw := range loadAll(t) {
		for _, c := range fw.Controls {
			for _, id := range c.Checks {
				if !checkIDPattern.MatchString(id) {
					t.Errorf("%s %s: %q is not a check ID", fw.Name, c.ID, id)
				}
			}
		}
	}
}

// readmeRow matches a row of README.md's summary table.
var readmeRow = regexp.MustCompile("^\\| `([a-z0-9.-]+)` \\| ([^|]+) \\| ([0-9]+) \\| ([0-9]+) \\| ([0-9]+) \\| ([0-9]+) \\|$")

// summaryRows is what README.md's table must say about fws.
func summaryRows(fws []*Framework) map[string]string {
	out := map[string]string{}
	for _, fw := range fws {
		auto, manual, checks := fw.Counts()
		out[fw.Name] = fmt.Sprintf("%s %d %d %d %d", fw.Version, len(fw.Controls), auto, manual, len(checks))
	}
	return out
}

func readmeSummary(text string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		if m := readmeRow.FindStringSubmatch(line); m != nil {
			out[m[1]] = strings.Join([]string{strings.TrimSpace(m[2]), m[3], m[4], m[5], m[6]}, " ")
		}
	}
	return out
}

func TestReadmeTableMatchesTheData(t *testing.T) {
	text, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	want := summaryRows(loadAll(t))
	got := readmeSummary(string(text))
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("README.md's table says (version controls automated manual checks)\n %v\nthe data says\n %v", got, want)
	}
	stale := strings.Replace(string(text), "| `cis-aws-7.0` | 7.0.0 | 26 | 18 | 8 | 18 |", "| `cis-aws-7.0` | 7.0.0 | 26 | 19 | 7 | 18 |", 1)
	if fmt.Sprint(readmeSummary(stale)) == fmt.Sprint(want) {
		t.Error("a stale README row was not noticed")
	}
}
