// Package compliance judges the controls of a compliance framework from an
// audit's results, and names on every result and check the controls it
// decides. It reads results only: the checks decide, the framework data
// says which checks decide which control.
package compliance

import (
	"fmt"
	"sort"
	"strings"

	"github.com/lockdown-dev/lockdown/frameworks"
	"github.com/lockdown-dev/lockdown/internal/findings"
)

// Evaluated says which checks an audit ran. Selected were evaluated;
// Skipped were loaded but left out (--check, --skip-check). A check in
// neither is not in the catalogue the audit used.
type Evaluated struct {
	Selected []string
	Skipped  []string
}

// Assess judges every control of fw, in the framework's order, from the
// results of the checks in selected:
//
//   - MANUAL: the control cannot be automated; the reason is the data's.
//   - FAIL: some result of its checks fails (whatever else is missing).
//   - NOT_ASSESSED: no failure, but a check behind it was not evaluated,
//     some result is NOT_ASSESSED, or its checks produced no result at all;
//     the reason names each check and why.
//   - NOT_APPLICABLE: every result of its checks is NOT_APPLICABLE.
//   - PASS: it has results and every one passes (NOT_APPLICABLE results
//     beside passing ones judge nothing and do not change that).
func Assess(fw *frameworks.Framework, results []findings.Result, selected []string) findings.Compliance {
	return AssessEvaluated(fw, results, Evaluated{Selected: selected})
}

// AssessReport judges fw from a report's results and its selected and
// skipped checks.
func AssessReport(fw *frameworks.Framework, rep *findings.Report) findings.Compliance {
	return AssessEvaluated(fw, rep.Results, Evaluated{Selected: rep.SelectedChecks, Skipped: rep.SkippedChecks})
}

// AssessEvaluated is Assess with the skipped checks known, so that a
// reason can tell a check left out of this audit from one the catalogue
// does not have.
func AssessEvaluated(fw *frameworks.Framework, results []findings.Result, ev Evaluated) findings.Compliance {
	byCheck := map[string][]int{}
	for i, r := range results {
		byCheck[r.CheckID] = append(byCheck[r.CheckID], i)
	}
	selected := set(ev.Selected)
	skipped := set(ev.Skipped)
	out := findings.Compliance{
		Framework: fw.Name,
		Title:     fw.Title,
		Version:   fw.Version,
		Source:    fw.Source,
		Controls:  make([]findings.ControlResult, 0, len(fw.Controls)),
	}
	for _, c := range fw.Controls {
		cr := control(c, results, byCheck, selected, skipped)
		out.Controls = append(out.Controls, cr)
		out.Summary.Add(cr.Status)
	}
	return out
}

func control(c frameworks.Control, results []findings.Result, byCheck map[string][]int, selected, skipped map[string]bool) findings.ControlResult {
	cr := findings.ControlResult{
		ID:     c.ID,
		Title:  c.Title,
		Level:  c.Level,
		Checks: append([]string{}, c.Checks...),
	}
	if !c.Automated {
		cr.Status = findings.ControlManual
		cr.Reason = c.Reason
		return cr
	}
	var (
		reasons []string
		failing = map[string]findings.Resource{}
		total   int
	)
	for _, id := range c.Checks {
		if !selected[id] {
			if skipped[id] {
				reasons = append(reasons, id+" was left out of this audit (--check/--skip-check)")
			} else {
				reasons = append(reasons, id+" was not evaluated (not in the check catalogue of this audit)")
			}
			continue
		}
		idx := byCheck[id]
		total += len(idx)
		var notAssessed []string
		for _, i := range idx {
			r := results[i]
			switch r.Status {
			case findings.Pass:
				cr.Results.Pass++
			case findings.Fail:
				cr.Results.Fail++
				// Resources without an ARN (a local file, a CLI profile)
				// are told apart by type and name.
				failing[r.Resource.ARN+"\x00"+r.Resource.Type+"\x00"+r.Resource.Name] = r.Resource
			case findings.NotAssessed:
				cr.Results.NotAssessed++
				notAssessed = append(notAssessed, r.Message)
			case findings.NotApplicable:
				cr.Results.NotApplicable++
			default:
				// A status this build does not know is not a verdict.
				cr.Results.NotAssessed++
				notAssessed = append(notAssessed, fmt.Sprintf("unknown status %q", r.Status))
			}
		}
		if len(notAssessed) > 0 {
			reasons = append(reasons, notAssessedReason(id, notAssessed))
		}
	}
	if total == 0 && len(reasons) == 0 {
		reasons = append(reasons, strings.Join(c.Checks, ", ")+" produced no result: nothing was judged")
	}
	for _, r := range failing {
		cr.Failing = append(cr.Failing, r)
	}
	sort.Slice(cr.Failing, func(i, j int) bool {
		a, b := cr.Failing[i], cr.Failing[j]
		if a.ARN != b.ARN {
			return a.ARN < b.ARN
		}
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		return a.Name < b.Name
	})
	switch {
	case cr.Results.Fail > 0:
		cr.Status = findings.ControlFail
	case len(reasons) > 0:
		cr.Status = findings.ControlNotAssessed
		cr.Reason = strings.Join(reasons, "; ")
	case cr.Results.Pass == 0:
		cr.Status = findings.ControlNotApplies
	default:
		cr.Status = findings.ControlPass
	}
	return cr
}

// notAssessedReason names a check and its distinct NOT_ASSESSED messages,
// at most three of them, with the count of results.
func notAssessedReason(id string, messages []string) string {
	var distinct []string
	seen := map[string]bool{}
	for _, m := range messages {
		if !seen[m] {
			seen[m] = true
			distinct = append(distinct, m)
		}
	}
	noun := "results"
	if len(messages) == 1 {
		noun = "result"
	}
	const shown = 3
	more := ""
	if len(distinct) > shown {
		more = fmt.Sprintf(" (and %d more reasons)", len(distinct)-shown)
		distinct = distinct[:shown]
	}
	return fmt.Sprintf("%s: %d %s not assessed: %s%s", id, len(messages), noun, strings.Join(distinct, " / "), more)
}

// Annotate sets Controls on every check and result from the frameworks'
// mapping (frameworks.ControlsByCheck): every framework, whether or not a
// compliance section was asked for. A check or result that decides no
// control keeps Controls nil. Results of one check share one map; treat it
// as read-only.
func Annotate(fws []*frameworks.Framework, checks []findings.Check, results []findings.Result) {
	byCheck := frameworks.ControlsByCheck(fws)
	for i := range checks {
		checks[i].Controls = byCheck[checks[i].ID]
	}
	for i := range results {
		results[i].Controls = byCheck[results[i].CheckID]
	}
}

func set(list []string) map[string]bool {
	m := make(map[string]bool, len(list))
	for _, s := range list {
		m[s] = true
	}
	return m
}
