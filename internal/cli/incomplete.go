package cli

import (
	"fmt"
	"sort"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// sourceActions is the main API action behind each snapshot source, named
// in a cause when the snapshot's error does not say which action failed.
var sourceActions = map[string]string{
	snapshot.SourceAuthorizationDetails: "iam:GetAccountAuthorizationDetails",
	snapshot.SourceCredentialReport:     "iam:GetCredentialReport",
	snapshot.SourceAccountSummary:       "iam:GetAccountSummary",
	snapshot.SourcePasswordPolicy:       "iam:GetAccountPasswordPolicy",
	snapshot.SourceVirtualMFADevices:    "iam:ListVirtualMFADevices",
	snapshot.SourceAccountAliases:       "iam:ListAccountAliases",
	snapshot.SourceCallerIdentity:       "sts:GetCallerIdentity",
}

// sourceCause describes a source that failed or was never collected, with
// no checks yet; ok is false when the source is complete.
func sourceCause(snap *snapshot.Snapshot, src string) (findings.Cause, bool) {
	c := findings.Cause{Source: src, Action: sourceActions[src], Checks: []string{}}
	st, present := snap.Sources[src]
	switch {
	case !present:
		c.Message = "not collected"
		return c, true
	case st.Status == snapshot.StatusOK:
		return c, false
	}
	if st.Error != nil {
		if st.Error.Action != "" {
			c.Action = st.Error.Action
		}
		c.ErrorCode = st.Error.Code
		if c.ErrorCode == "" {
			c.Message = oneLine(st.Error.Message)
		}
	}
	if c.ErrorCode == "" && c.Message == "" {
		c.Message = oneLine(st.Note)
	}
	if c.ErrorCode == "" && c.Message == "" {
		c.Message = "failed"
	}
	return c, true
}

// incompleteCauses explains every NOT_ASSESSED result among results of the
// selected checks: one cause per failed (or missing) source, naming the
// checks that require it and were not assessed, then one cause per check
// whose NOT_ASSESSED results no source explains (a malformed item, say),
// naming the result's message. No NOT_ASSESSED result: no cause.
func incompleteCauses(snap *snapshot.Snapshot, checks []findings.Check, results []findings.Result) []findings.Cause {
	messages := map[string][]string{} // check ID -> NOT_ASSESSED messages, in result order
	for _, r := range results {
		if r.Status == findings.NotAssessed {
			messages[r.CheckID] = append(messages[r.CheckID], r.Message)
		}
	}
	if len(messages) == 0 {
		return nil
	}
	bySource := map[string]*findings.Cause{}
	explained := map[string]bool{}
	for _, c := range checks {
		if messages[c.ID] == nil {
			continue
		}
		for _, src := range c.Requires {
			cause, failed := sourceCause(snap, src)
			if !failed {
				continue
			}
			if bySource[src] == nil {
				bySource[src] = &cause
			}
			bySource[src].Checks = append(bySource[src].Checks, c.ID)
			explained[c.ID] = true
		}
	}
	var out []findings.Cause
	srcs := make([]string, 0, len(bySource))
	for s := range bySource {
		srcs = append(srcs, s)
	}
	sort.Strings(srcs)
	for _, s := range srcs {
		c := *bySource[s]
		sort.Strings(c.Checks)
		out = append(out, c)
	}
	// Checks not assessed for a reason of their own (a malformed item, say),
	// in ID order; checks with the same reason share one cause.
	requires := map[string][]string{}
	for _, c := range checks {
		requires[c.ID] = c.Requires
	}
	ids := make([]string, 0, len(messages))
	for id := range messages {
		if !explained[id] {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	byReason := map[string]int{} // source + message -> index in out
	for _, id := range ids {
		msgs := messages[id]
		src := strings.Join(requires[id], ",")
		if src == "" {
			src = "check " + id
		}
		cause := findings.Cause{Source: src}
		cause.ErrorCode, cause.Message = splitReason(requires[id], trimNotAssessed(msgs[0]))
		distinct := map[string]bool{}
		for _, m := range msgs {
			distinct[m] = true
		}
		if n := len(distinct) - 1; n > 0 {
			cause.Message += fmt.Sprintf(" (and %d more)", n)
		}
		key := cause.Source + "\x00" + cause.ErrorCode + "\x00" + cause.Message
		if i, ok := byReason[key]; ok {
			out[i].Checks = append(out[i].Checks, id)
			continue
		}
		byReason[key] = len(out)
		cause.Checks = []string{id}
		out = append(out, cause)
	}
	return out
}

// splitReason takes the error code out of an engine reason of the form
// "source S failed (CODE: message)" for one of the check's sources.
func splitReason(sources []string, reason string) (code, msg string) {
	for _, src := range sources {
		inner, ok := strings.CutPrefix(reason, "source "+src+" failed (")
		if !ok || !strings.HasSuffix(inner, ")") {
			continue
		}
		inner = strings.TrimSuffix(inner, ")")
		if c, m, ok := strings.Cut(inner, ": "); ok && c != "" && !strings.Contains(c, " ") {
			return c, m
		}
		return "", inner
	}
	return "", reason
}

// trimNotAssessed shortens "Not assessed: the reason." to "the reason".
func trimNotAssessed(msg string) string {
	msg = oneLine(msg)
	msg = strings.TrimPrefix(msg, "Not assessed: ")
	return strings.TrimSuffix(msg, ".")
}
