package differential

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/iampolicy"
)

// familyOf maps an operator as written to its family ("" if unknown).
func familyOf(op string) string {
	if _, rest, ok := strings.Cut(op, ":"); ok {
		op = rest
	}
	op = strings.TrimSuffix(op, "IfExists")
	for fam, ops := range familyOps {
		for _, o := range ops {
			if o == op {
				return fam
			}
		}
	}
	return ""
}

// withoutFamily drops every condition of one family from a document.
func withoutFamily(doc json.RawMessage, fam string) (json.RawMessage, bool) {
	var d map[string]any
	if json.Unmarshal(doc, &d) != nil {
		return doc, false
	}
	changed := false
	sts, _ := d["Statement"].([]any)
	for _, s := range sts {
		st, _ := s.(map[string]any)
		cond, _ := st["Condition"].(map[string]any)
		for op := range cond {
			if familyOf(op) == fam {
				delete(cond, op)
				changed = true
			}
		}
		if cond != nil && len(cond) == 0 {
			delete(st, "Condition")
		}
	}
	b, _ := json.Marshal(d)
	return b, changed
}

// TestConditionsAreDecisive counts, per operator family, the generated cases
// whose decision changes when that family's conditions are removed. Agreement
// on cases where conditions never matter would prove little about them.
func TestConditionsAreDecisive(t *testing.T) {
	cases := Generate(seed, nCases)
	decisive := map[string]int{}
	for i := range cases {
		c := &cases[i]
		set, err := c.PolicySet()
		if err != nil {
			t.Fatalf("case %s: %v", c.ID, err)
		}
		base := iampolicy.Evaluate(set, c.GoRequest()).Effect
		for _, fam := range Families {
			m := *c
			m.Identity = append([]json.RawMessage(nil), c.Identity...)
			changed := false
			for j := range m.Identity {
				var ch bool
				m.Identity[j], ch = withoutFamily(m.Identity[j], fam)
				changed = changed || ch
			}
			for _, p := range []*json.RawMessage{&m.Boundary, &m.ResourcePolicy} {
				if len(*p) > 0 {
					var ch bool
					*p, ch = withoutFamily(*p, fam)
					changed = changed || ch
				}
			}
			if !changed {
				continue
			}
			ms, err := m.PolicySet()
			if err != nil {
				t.Fatalf("case %s without %s: %v", c.ID, fam, err)
			}
			if iampolicy.Evaluate(ms, m.GoRequest()).Effect != base {
				decisive[fam]++
			}
		}
	}
	for _, fam := range Families {
		t.Logf("%-10s decisive in %d cases", fam, decisive[fam])
		if decisive[fam] < 40 {
			t.Errorf("%s conditions decide only %d generated cases, want >= 40", fam, decisive[fam])
		}
	}
}
