package cli

import (
	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// sourceCause describes a source that failed or was never collected, with
// no checks yet; ok is false when the source is complete.
func sourceCause(snap *snapshot.Snapshot, src string) (findings.Cause, bool) {
	c := findings.Cause{Source: src, Action: snapshot.SourceActions[src], Checks: []string{}}
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
