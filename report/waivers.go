package report

// How waivers and a baseline show in every format: a waived FAIL stays a
// FAIL and says until when, by whom and why; an expired waiver says it
// expired and that the finding counts again; with a baseline, a failure
// says whether it is new or known. Text from a waivers file is account
// data like any other: each renderer escapes these notes for its medium.

import (
	"fmt"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

// waiverNote is the waiver part of a failing result's status, e.g.
// "waived until 2027-03-01 by alice: break-glass role", or
// "waiver expired 2026-11-26 (bob: old), counts again"; "" without one.
func waiverNote(r findings.Result) string {
	w := r.Waiver
	if w == nil || r.Status != findings.Fail {
		return ""
	}
	reason := oneLine(clip(w.Reason, maxTextBytes))
	owner := oneLine(clip(w.Owner, maxNameBytes))
	if w.Expired {
		return fmt.Sprintf("waiver expired %s (%s: %s), counts again", w.Expires, owner, reason)
	}
	return fmt.Sprintf("waived until %s by %s: %s", w.Expires, owner, reason)
}

// baselineNote is "new" or "known" for a failing result compared with a
// baseline; "" otherwise.
func baselineNote(r findings.Result) string {
	if r.Status != findings.Fail {
		return ""
	}
	return r.Baseline
}

// statusText is a result's status with its notes, unescaped, e.g.
// "FAIL (waived until 2027-03-01 by alice: break-glass role)" or
// "FAIL (new)"; the plain label when there is nothing to add.
func statusText(r findings.Result) string {
	var notes []string
	if n := baselineNote(r); n != "" {
		notes = append(notes, n)
	}
	if n := waiverNote(r); n != "" {
		notes = append(notes, n)
	}
	if len(notes) == 0 {
		return statusLabel(r.Status)
	}
	return statusLabel(r.Status) + " (" + strings.Join(notes, "; ") + ")"
}

// annotated reports whether statusText adds anything to the label.
func annotated(r findings.Result) bool {
	return baselineNote(r) != "" || waiverNote(r) != ""
}

// shortStatus is the table's status cell: the label with "waived",
// "waiver expired" and new/known, the rest being in the message cell.
func shortStatus(r findings.Result) string {
	var notes []string
	if n := baselineNote(r); n != "" {
		notes = append(notes, n)
	}
	if r.Status == findings.Fail && r.Waiver != nil {
		if r.Waiver.Expired {
			notes = append(notes, "waiver expired")
		} else {
			notes = append(notes, "waived")
		}
	}
	if len(notes) == 0 {
		return statusLabel(r.Status)
	}
	return statusLabel(r.Status) + " (" + strings.Join(notes, ", ") + ")"
}

// waiverSentence is the waiver note as a sentence for a message cell:
// "Waived until 2027-03-01 by alice: break-glass role." ("" without one).
func waiverSentence(r findings.Result) string {
	n := waiverNote(r)
	if n == "" {
		return ""
	}
	return sentence(strings.ToUpper(n[:1]) + n[1:])
}

// baselineCounts is the summary's baseline part, e.g. "2 new, 5 known,
// 1 fixed since the baseline", counting failures; "" without a baseline.
func baselineCounts(rep *findings.Report) string {
	if rep.BaselineDigest == "" {
		return ""
	}
	var n, k int
	for _, r := range rep.Results {
		switch {
		case r.Status != findings.Fail:
		case r.Baseline == findings.BaselineKnown:
			k++
		default:
			n++
		}
	}
	return fmt.Sprintf("%d new, %d known, %d fixed since the baseline", n, k, len(rep.Fixed))
}

// waivedCount counts the failures a waiver in force covers, and those whose
// waiver has expired.
func waivedCount(rep *findings.Report) (waived, expired int) {
	for _, r := range rep.Results {
		if r.Status != findings.Fail || r.Waiver == nil {
			continue
		}
		if r.Waiver.Expired {
			expired++
		} else {
			waived++
		}
	}
	return waived, expired
}

// maxListedFixed caps the fixed findings the table and Markdown list; the
// JSON report has all of them.
const maxListedFixed = 50

// fixedLines are the findings fixed since the baseline, one line each
// ("LD-KEY-01 arn:...:user/alice (key 1)"), unescaped, with a closing
// "(N more in the JSON report)" past maxListedFixed.
func fixedLines(rep *findings.Report) []string {
	var out []string
	for i, r := range rep.Fixed {
		if i == maxListedFixed {
			out = append(out, fmt.Sprintf("(%d more in the JSON report)", len(rep.Fixed)-i))
			break
		}
		out = append(out, oneLine(clip(r.CheckID, maxNameBytes)+" "+clip(resourceWithDetail(r), maxTextBytes)))
	}
	return out
}

// waiverJustification is a SARIF suppression's justification: reason,
// owner, expiry and ticket, unescaped.
func waiverJustification(w *findings.Waiver) string {
	j := fmt.Sprintf("%s (owner %s, expires %s", oneLine(w.Reason), oneLine(w.Owner), w.Expires)
	if w.Ticket != "" {
		j += ", ticket " + oneLine(w.Ticket)
	}
	return j + ")"
}

func ptr(s string) *string { return &s }

// withWaiver is the message with the waiver sentence before it, when there
// is one.
func withWaiver(r findings.Result) string {
	if n := waiverSentence(r); n != "" {
		return n + " " + r.Message
	}
	return r.Message
}
