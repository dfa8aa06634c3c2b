package report

import (
	"fmt"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

// incompleteNotifications are the causes of an incomplete audit, each an
// error notification, or one error saying that it is incomplete without a
// recorded cause. An incomplete audit is not a successful execution
// either (see README, "SARIF of an incomplete audit").
func incompleteNotifications(rep *findings.Report) []*sarif.Notification {
	var notes []*sarif.Notification
	for _, c := range rep.Incomplete {
		notes = append(notes, causeNotification(c))
	}
	if incomplete(rep) && len(rep.Incomplete) == 0 {
		notes = append(notes, notification(sarif.LevelError, "The audit is incomplete: the report does not say it is complete or some results were not assessed; no cause was recorded."))
	}
	return notes
}

// causeNotification is one incompleteness cause as an error notification,
// with its source, API action, item, error code and checks as properties.
func causeNotification(c findings.Cause) *sarif.Notification {
	n := notification(sarif.LevelError, c.String())
	props := sarif.NewPropertyBag()
	props.Add("source", c.Source)
	if c.Action != "" {
		props.Add("action", c.Action)
	}
	if c.Item != "" {
		props.Add("item", c.Item)
	}
	if c.ErrorCode != "" {
		props.Add("errorCode", c.ErrorCode)
	}
	checks := c.Checks
	if checks == nil {
		checks = []string{}
	}
	props.Add("checks", checks)
	n.Properties = props
	return n
}

func notAssessedNotification(r findings.Result, ruleIndex map[string]int) *sarif.Notification {
	return resultNotification(sarif.LevelWarning, "%s was not assessed for %s: %s", r, ruleIndex)
}

// notApplicableNotification says, as a note, that a check had nothing to
// judge on a resource, and why.
func notApplicableNotification(r findings.Result, ruleIndex map[string]int) *sarif.Notification {
	return resultNotification(sarif.LevelNote, "%s is not applicable to %s: %s", r, ruleIndex)
}

// resultNotification is a notification about one result that is not a
// SARIF result: format takes the check ID, the resource and the reason,
// and the notification names the check's rule.
func resultNotification(level, format string, r findings.Result, ruleIndex map[string]int) *sarif.Notification {
	reason := strings.TrimSpace(r.Message)
	if reason == "" {
		reason = "no reason given"
	}
	n := notification(level, sentence(fmt.Sprintf(format, r.CheckID, resourceID(r.Resource), reason)))
	ref := sarif.NewReportingDescriptorReference()
	id := r.CheckID
	ref.ID = &id
	ref.Index = ruleIndex[r.CheckID]
	n.AssociatedRule = ref
	return n
}

// baselineStatus marks, inside the SARIF renderer only, a baseline FAIL
// kept because this run could not judge it.
const baselineStatus findings.Status = "lockdown-baseline-not-assessed"

// baselineNotAssessed returns the baseline FAILs this run could not judge:
// no FAIL, PASS or NOT_APPLICABLE result for their (check, resource ARN,
// detail), and their check or resource NOT_ASSESSED here. Each comes back
// with its fingerprint and severity (so its level) and a message that says
// why it was not assessed and that it failed in the baseline. A baseline
// FAIL whose check was assessed but no longer reports it is left out: it
// was fixed or its resource is gone, and its alert may close.
func baselineNotAssessed(rep *findings.Report, baseline []findings.Result) []findings.Result {
	if len(baseline) == 0 {
		return nil
	}
	type key struct{ check, arn, detail string }
	judged := map[key]bool{}
	naPair := map[key]string{} // (check, arn, "") -> reason
	naCheck := map[string]string{}
	for _, r := range rep.Results {
		switch r.Status {
		case findings.Fail, findings.Pass, findings.NotApplicable:
			judged[key{r.CheckID, r.Resource.ARN, r.Detail}] = true
		case findings.NotAssessed:
			reason := strings.TrimSpace(r.Message)
			if reason == "" {
				reason = "no reason given"
			}
			k := key{r.CheckID, r.Resource.ARN, ""}
			if _, ok := naPair[k]; !ok {
				naPair[k] = reason
			}
			if _, ok := naCheck[r.CheckID]; !ok {
				naCheck[r.CheckID] = reason
			}
		}
	}
	causeOf := map[string]string{}
	for _, c := range rep.Incomplete {
		for _, id := range c.Checks {
			if _, ok := causeOf[id]; !ok {
				causeOf[id] = c.String()
			}
		}
	}
	var out []findings.Result
	seen := map[key]bool{}
	for _, b := range baseline {
		k := key{b.CheckID, b.Resource.ARN, b.Detail}
		if b.Status != findings.Fail || judged[k] || seen[k] {
			continue
		}
		reason, ok := naPair[key{b.CheckID, b.Resource.ARN, ""}]
		if !ok {
			reason, ok = causeOf[b.CheckID]
		}
		if !ok {
			reason, ok = naCheck[b.CheckID]
		}
		if !ok {
			continue
		}
		seen[k] = true
		kept := b
		if kept.Fingerprint == "" {
			kept.Fingerprint = findings.Fingerprint(b.CheckID, rep.AccountID, b.Resource.ARN, b.Detail)
		}
		kept.Status = baselineStatus
		was := strings.TrimSpace(b.Message)
		if was == "" {
			was = "no message"
		}
		kept.Message = fmt.Sprintf("Not assessed in this run (%s); it failed in the baseline: %s", strings.TrimSuffix(reason, "."), sentence(was))
		out = append(out, kept)
	}
	return out
}
