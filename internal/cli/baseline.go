package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"sort"

	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// loadBaseline reads a previous JSON report (--baseline); nil when none is
// named. It is read before any collection, so a bad file costs nothing.
func loadBaseline(path string) (*findings.Report, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, inputErr("--baseline: %v", err)
	}
	return parseBaseline(path, data)
}

// parseBaseline decodes a baseline report read from path.
func parseBaseline(path string, data []byte) (*findings.Report, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var rep findings.Report
	if err := dec.Decode(&rep); err != nil {
		// Line and column of the fault, as for a snapshot.
		return nil, inputErr("--baseline: %v", snapshot.JSONError(path, data, err))
	}
	if rep.Schema != findings.ReportSchemaV1 {
		return nil, inputErr("--baseline %s: schema %q, want %q (a lockdown JSON report)", path, rep.Schema, findings.ReportSchemaV1)
	}
	return &rep, nil
}

// baselineFailures are the baseline's failing results.
func baselineFailures(rep *findings.Report) []findings.Result {
	if rep == nil {
		return nil
	}
	var out []findings.Result
	for _, r := range rep.Results {
		if r.Status == findings.Fail {
			// What the old run said of waivers and its own baseline is not
			// carried into this run's SARIF.
			r.Waiver, r.Baseline = nil, ""
			out = append(out, r)
		}
	}
	return out
}

// applyBaseline marks each result new or known against a previous report
// (known: the baseline has its fingerprint with the same status) and lists
// the baseline's failures fixed since: their fingerprint passes (or is not
// applicable) now, or is gone while its check was selected and assessed on
// every resource. A failure this run could not judge is not fixed.
func applyBaseline(rep *findings.Report, base *findings.Report) {
	if base == nil {
		return
	}
	rep.BaselineDigest = base.SnapshotDigest
	if rep.BaselineDigest == "" {
		rep.BaselineDigest = "unknown"
	}
	type key struct {
		fp     string
		status findings.Status
	}
	had := map[key]bool{}
	for _, b := range base.Results {
		had[key{b.Fingerprint, b.Status}] = true
	}
	now := map[string]findings.Status{}
	unassessed := map[string]bool{}
	for i := range rep.Results {
		r := &rep.Results[i]
		r.Baseline = findings.BaselineNew
		if had[key{r.Fingerprint, r.Status}] {
			r.Baseline = findings.BaselineKnown
		}
		if _, seen := now[r.Fingerprint]; !seen || r.Status == findings.Fail {
			now[r.Fingerprint] = r.Status
		}
		if r.Status == findings.NotAssessed {
			unassessed[r.CheckID] = true
		}
	}
	for _, c := range rep.Incomplete {
		for _, id := range c.Checks {
			unassessed[id] = true
		}
	}
	seen := map[string]bool{}
	var fixed []findings.Result
	for _, b := range base.Results {
		if b.Status != findings.Fail || seen[b.Fingerprint] {
			continue
		}
		st, present := now[b.Fingerprint]
		switch {
		case present && (st == findings.Pass || st == findings.NotApplicable):
		case !present && contains(rep.SelectedChecks, b.CheckID) && !unassessed[b.CheckID]:
		default:
			continue
		}
		seen[b.Fingerprint] = true
		b.Location = nil
		b.Waiver = nil
		b.Baseline = ""
		fixed = append(fixed, b)
	}
	sort.Slice(fixed, func(i, j int) bool { return fixed[i].Fingerprint < fixed[j].Fingerprint })
	rep.Fixed = fixed
}
