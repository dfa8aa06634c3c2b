// Package diff compares two audits of one account: the findings that are
// new, fixed or changed between two reports (matched by fingerprint), and,
// between two snapshots, the IAM drift (principals, policies, attachments,
// trust policies, keys, MFA devices, password policy added, removed or
// changed, with a statement-level account of changed policy documents).
package diff

import (
	"sort"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

// SchemaV1 is the JSON diff's schema identifier.
const SchemaV1 = "lockdown.diff/v1"

// Side names one of the two inputs.
type Side struct {
	Path           string `json:"path"`
	Kind           string `json:"kind"` // report | snapshot
	SnapshotDigest string `json:"snapshot_digest,omitempty"`
	CollectedAt    string `json:"collected_at,omitempty"`
}

// Inputs are the two files compared.
type Inputs struct {
	Old Side `json:"old"`
	New Side `json:"new"`
}

// Diff is the comparison of two audits.
type Diff struct {
	Schema    string `json:"schema"`
	AccountID string `json:"account_id"`
	Inputs    Inputs `json:"inputs"`
	// NewFindings fail in NEW and did not fail in OLD.
	NewFindings []findings.Result `json:"new"`
	// Fixed failed in OLD and pass (or are absent, their check assessed)
	// in NEW.
	Fixed []FixedResult `json:"fixed"`
	// Changed have the same fingerprint with another status or severity,
	// other than the new and fixed cases.
	Changed []ChangedResult `json:"changed"`
	// Drift is nil when two reports were compared (no snapshot to read).
	Drift []Drift `json:"drift"`
	// NotCompared names the parts of the drift that could not be compared
	// because a source was not collected completely in one snapshot.
	NotCompared []string `json:"not_compared,omitempty"`
}

// FixedResult is a failing result of OLD with its status in NEW.
type FixedResult struct {
	findings.Result
	// NowStatus is the NEW status (PASS, NOT_APPLICABLE) or "ABSENT".
	NowStatus string `json:"now_status"`
}

// ChangedResult is the NEW result with the OLD status and severity.
type ChangedResult struct {
	findings.Result
	OldStatus   findings.Status   `json:"old_status"`
	OldSeverity findings.Severity `json:"old_severity"`
}

// Absent is FixedResult.NowStatus for a fingerprint NEW does not have.
const Absent = "ABSENT"

// fingerprint is r's fingerprint, derived when an older report lacks one.
func fingerprint(r findings.Result, account string) string {
	if r.Fingerprint != "" {
		return r.Fingerprint
	}
	return findings.Fingerprint(r.CheckID, account, r.Resource.ARN, r.Detail)
}

func index(results []findings.Result, account string) (map[string]findings.Result, []string) {
	m := make(map[string]findings.Result, len(results))
	var order []string
	for _, r := range results {
		fp := fingerprint(r, account)
		r.Fingerprint = fp
		prev, seen := m[fp]
		if !seen {
			order = append(order, fp)
		}
		// A fingerprint repeated within one report keeps its failing result.
		if !seen || (prev.Status != findings.Fail && r.Status == findings.Fail) {
			m[fp] = r
		}
	}
	return m, order
}

// Compare matches the results of two audits of account by fingerprint.
// A failing result whose fingerprint is absent from NEW is fixed only when
// its check was assessed in NEW: when NEW has its check NOT_ASSESSED, or
// did not run it (newChecks, the checks NEW selected, nil when unknown),
// the result is changed to NOT_ASSESSED, never reported fixed.
func Compare(account string, oldResults, newResults []findings.Result, newChecks []string) (added []findings.Result, fixed []FixedResult, changed []ChangedResult) {
	oldBy, oldOrder := index(oldResults, account)
	newBy, newOrder := index(newResults, account)
	notAssessed := map[string]findings.Result{}
	for _, fp := range newOrder {
		if r := newBy[fp]; r.Status == findings.NotAssessed {
			if _, ok := notAssessed[r.CheckID]; !ok {
				notAssessed[r.CheckID] = r
			}
		}
	}
	for _, fp := range newOrder {
		n := newBy[fp]
		o, had := oldBy[fp]
		switch {
		case n.Status == findings.Fail && (!had || o.Status != findings.Fail):
			added = append(added, n)
		case had && o.Status == findings.Fail && n.Status != findings.Fail && n.Status != findings.NotAssessed:
			fixed = append(fixed, FixedResult{Result: o, NowStatus: string(n.Status)})
		case had && (o.Status != n.Status || o.Severity != n.Severity):
			changed = append(changed, ChangedResult{Result: n, OldStatus: o.Status, OldSeverity: o.Severity})
		}
	}
	selected := map[string]bool{}
	for _, c := range newChecks {
		selected[c] = true
	}
	for _, fp := range oldOrder {
		o := oldBy[fp]
		if _, still := newBy[fp]; still || o.Status != findings.Fail {
			continue
		}
		na, ok := notAssessed[o.CheckID]
		if !ok && newChecks != nil && !selected[o.CheckID] {
			na, ok = findings.Result{Message: "check " + o.CheckID + " was not run in NEW"}, true
		}
		if ok {
			now := o
			now.Status = findings.NotAssessed
			now.Message = na.Message
			now.Evidence = nil
			now.Location = nil
			changed = append(changed, ChangedResult{Result: now, OldStatus: o.Status, OldSeverity: o.Severity})
			continue
		}
		fixed = append(fixed, FixedResult{Result: o, NowStatus: Absent})
	}
	sortResults(added, func(i int) findings.Result { return added[i] })
	sortResults(fixed, func(i int) findings.Result { return fixed[i].Result })
	sortResults(changed, func(i int) findings.Result { return changed[i].Result })
	if added == nil {
		added = []findings.Result{}
	}
	if fixed == nil {
		fixed = []FixedResult{}
	}
	if changed == nil {
		changed = []ChangedResult{}
	}
	return added, fixed, changed
}

// sortResults orders by severity (highest first), check, resource, detail.
func sortResults[T any](list []T, at func(int) findings.Result) {
	sort.SliceStable(list, func(i, j int) bool {
		a, b := at(i), at(j)
		if a.Severity.Rank() != b.Severity.Rank() {
			return a.Severity.Rank() > b.Severity.Rank()
		}
		if a.CheckID != b.CheckID {
			return a.CheckID < b.CheckID
		}
		if a.Resource.ARN != b.Resource.ARN {
			return a.Resource.ARN < b.Resource.ARN
		}
		return a.Detail < b.Detail
	})
}
