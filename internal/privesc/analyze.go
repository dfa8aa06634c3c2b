package privesc

import (
	"fmt"
	"sort"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/access"
	"github.com/lockdown-dev/lockdown/internal/findings"
)

// Path, Step and ActionUse are the report's own types (LD-PE-01's
// evidence.paths): the analysis publishes paths in the shape the results
// carry them.
type (
	Path      = findings.EscalationPath
	Step      = findings.EscalationStep
	ActionUse = findings.EscalationAction
)

// Verdict is the analysis of one user, group or role.
type Verdict struct {
	ARN  string `json:"arn"`
	Name string `json:"name"`
	Type string `json:"type"` // user, group, role
	// Admin: already administrator-equivalent (AdminContext: the weakest
	// context in which it is).
	Admin        bool   `json:"admin"`
	AdminContext string `json:"admin_context,omitempty"`
	// Paths are the shortest escalation paths, shortest first, at most one
	// per request context; definite paths before possible ones.
	Paths []Path `json:"paths"`
}

// Result is the analysis of every principal, by ARN.
type Result struct {
	Principals map[string]*Verdict `json:"principals"`
	// Decisions counts the requests the policy engine evaluated.
	Decisions int `json:"-"`
	// Stats sums up the search's work, for benchmarks.
	Stats string `json:"-"`
}

// Analyze finds the shortest escalation path of every user, group and role
// of the account whose policies are known (an) at once.
func Analyze(acct *access.Account, an *access.Analysis, opts Options) (*Result, error) {
	if _, err := Load(); err != nil {
		return nil, err
	}
	e := newEngine(acct, an, opts)
	terminal := e.terminalEdges()
	sortEdges(terminal)
	into := e.memoInto()
	definite := e.search(terminal, into, true)
	withPossible := e.search(terminal, into, false)
	res := &Result{Principals: map[string]*Verdict{}}
	for _, p := range e.principals {
		v := &Verdict{ARN: p.arn, Name: p.name, Type: p.typ, Paths: []Path{}}
		if p.adminFrom >= 0 {
			v.Admin, v.AdminContext = true, ctxNames[p.adminFrom]
		}
		res.Principals[p.arn] = v
		if v.Admin {
			continue
		}
		seen := map[string]bool{}
		for _, r := range []*searchResult{definite, withPossible} {
			for c := 0; c < numCtx; c++ {
				if !p.validCtx(c) {
					continue
				}
				edges := r.pathFrom(p, c)
				if len(edges) == 0 {
					continue
				}
				path := e.render(p, c, edges)
				key := strings.Join(path.MethodIDs, ",") + "|" + path.Target + "|" + stepsKey(path.Steps)
				if seen[key] {
					continue
				}
				seen[key] = true
				v.Paths = append(v.Paths, path)
			}
			if len(v.Paths) > 0 {
				break // a definite path is the finding; possible ones only without it
			}
		}
		sort.SliceStable(v.Paths, func(i, j int) bool {
			a, b := v.Paths[i], v.Paths[j]
			if a.Possible != b.Possible {
				return !a.Possible
			}
			return len(a.Steps) < len(b.Steps)
		})
	}
	res.Decisions = e.evals
	res.Stats = fmt.Sprintf("states expanded %d, edges %d, terminal %d, groups %d", e.intoCalls, e.intoEdges, len(terminal), len(e.groups))
	return res, nil
}

func stepsKey(steps []Step) string {
	var b strings.Builder
	for _, s := range steps {
		b.WriteString(s.From + ">" + s.To + ";")
	}
	return b.String()
}

func (e *engine) render(p *principal, c int, edges []*edge) Path {
	path := Path{Context: ctxNames[c], RequiresMFA: c == ctxMFA, MethodIDs: []string{}, Steps: []Step{}}
	var unknown []string
	parts := []string{p.name}
	for _, ed := range edges {
		from := ed.from.arn
		path.MethodIDs = append(path.MethodIDs, ed.method)
		path.Steps = append(path.Steps, Step{From: from, To: ed.to.arn, MethodID: ed.method, Actions: ed.actions})
		path.Target = ed.to.arn
		if ed.possible {
			path.Possible = true
			if !contains(unknown, ed.unknown) {
				unknown = append(unknown, ed.unknown)
			}
		}
		var acts []string
		for _, a := range ed.actions {
			if !contains(acts, a.Action) {
				acts = append(acts, a.Action)
			}
		}
		parts = append(parts, strings.Join(acts, " + ")+" ("+ed.method+")", short(ed.to.arn))
	}
	path.Unknown = strings.Join(unknown, "; ")
	path.Summary = strings.Join(parts, " -> ") + ", " + contextPhrase[c]
	if path.Possible {
		path.Summary += " (possible: " + path.Unknown + ")"
	}
	return path
}

var contextPhrase = [numCtx]string{
	ctxAccessKey: "with long-term access keys, without MFA",
	ctxNoMFA:     "without MFA",
	ctxMFA:       "only with MFA",
}
