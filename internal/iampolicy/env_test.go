package iampolicy

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestFoldKeyAgreesWithEqualFold(t *testing.T) {
	alphabet := []string{"k", "K", "\u212a", "s", "S", "\u017f", "é", "É", "ß", "ẞ", ":", "/", "\xff", "\ufffd", "Σ", "σ", "ς"}
	r := rand.New(rand.NewPCG(5, 6))
	word := func() string {
		var b strings.Builder
		for range r.IntN(4) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		return b.String()
	}
	for range 20000 {
		a, b := word(), word()
		if got, want := foldKey(a) == foldKey(b), strings.EqualFold(a, b); got != want {
			t.Fatalf("%q %q: foldKey equal %v, EqualFold %v", a, b, got, want)
		}
	}
}

// TestLookupIndexMatchesScan checks that the indexed lookups (large
// contexts, many tags) answer as the scans do, including which of several
// keys that differ only in case wins (the smallest).
func TestLookupIndexMatchesScan(t *testing.T) {
	for _, n := range []int{2, indexFrom + 3} {
		ctx := map[string][]string{"aws:SourceIp": {"exact"}, "AWS:SOURCEVPC": {"upper"}, "aws:sourcevpc": {"lower"}}
		tags := map[string]string{"Team": "upper", "team": "lower", "TEAM": "allcaps", "k\u212a": "kelvin"}
		for i := 0; len(ctx) < n; i++ {
			ctx[fmt.Sprintf("x:k%d", i)] = []string{"v"}
		}
		for i := 0; len(tags) < n; i++ {
			tags[fmt.Sprintf("t%d", i)] = "v"
		}
		u := user("bob")
		u.Tags = tags
		e := &env{req: &Request{Principal: u, Context: ctx}}
		for _, c := range []struct{ key, want string }{
			{"aws:SourceIp", "exact"},
			{"AWS:sourceip", "exact"},
			{"aws:SourceVpc", "upper"}, // "AWS:SOURCEVPC" < "aws:sourcevpc"
			{"aws:PrincipalTag/team", "lower"},
			{"aws:PrincipalTag/tEAm", "allcaps"}, // "TEAM" < "Team" < "team"
			{"aws:principaltag/KK", "kelvin"},
			{"aws:PrincipalTag/nope", ""},
			{"x:nope", ""},
		} {
			v, ok := e.lookup(c.key)
			got := ""
			if ok {
				got = v[0]
			}
			if got != c.want {
				t.Errorf("%d keys: lookup(%q) = %q, want %q", n, c.key, got, c.want)
			}
		}
	}
}

// TestManyConditionKeysStayLinear evaluates a statement with 100,000
// distinct absent condition keys (in two spellings each) against a
// principal with 100,000 tags. Lookups and the record of missing keys used
// to scan linearly per key: about 10^10 string comparisons, minutes. The
// test asserts only the answers; a quadratic path makes it time out.
func TestManyConditionKeysStayLinear(t *testing.T) {
	const n = 100000
	var cond strings.Builder
	cond.WriteString(`{"StringEqualsIfExists":{"aws:PrincipalTag/t0":"v0"`)
	for i := range n {
		fmt.Fprintf(&cond, `,"aws:PrincipalTag/T%d":"v%d"`, i, i)
	}
	cond.WriteString(`},"StringEquals":{`)
	for i := range n {
		if i > 0 {
			cond.WriteString(",")
		}
		fmt.Fprintf(&cond, `"x:absent%d":"a","X:ABSENT%d":"a"`, i, i)
	}
	cond.WriteString(`}}`)
	p := mustParse(t, "big", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":`+cond.String()+`}}`)
	u := user("bob")
	u.Tags = map[string]string{}
	for i := range n {
		u.Tags[fmt.Sprintf("t%d", i)] = fmt.Sprintf("v%d", i)
	}
	set := PolicySet{Identity: []PolicyRef{{Kind: "user-inline", Name: "big", Policy: p}}}
	d, err := EvaluateInContext(set, Request{Principal: u, Action: "s3:GetObject", Resource: "*", Context: map[string][]string{"AWS:PRINCIPALTAG/T7": {"v7"}}}, ContextAccessKey, ContextOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Allowed {
		t.Fatal("allowed although every x:absent key is missing")
	}
	if len(d.Missing) != n {
		t.Fatalf("%d missing keys, want %d (one per key, case-insensitively)", len(d.Missing), n)
	}
	// Conditions are evaluated in key order: upper case first.
	if d.Missing[0] != "X:ABSENT0" || !slices.Contains(d.Missing, "X:ABSENT99999") {
		t.Errorf("missing keys start %v", d.Missing[:3])
	}
	// The tag conditions alone hold (tags found case-insensitively).
	tagsOnly := mustParse(t, "tags", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":`+
		cond.String()[:strings.Index(cond.String(), `,"StringEquals"`)]+`}}}`)
	set = PolicySet{Identity: []PolicyRef{{Kind: "user-inline", Name: "tags", Policy: tagsOnly}}}
	if d := Evaluate(set, Request{Principal: u, Action: "s3:GetObject", Resource: "*"}); !d.Allowed {
		t.Errorf("tag conditions should hold: %.200s", d.Reason)
	}
	u.Tags["t5"] = "changed"
	if d := Evaluate(set, Request{Principal: u, Action: "s3:GetObject", Resource: "*"}); d.Allowed {
		t.Error("a changed tag should fail its condition")
	}
}
