package facts

import (
	"github.com/lockdown-dev/lockdown/internal/access"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// buildAccess asks the IAM policy engine the guide's questions (what works
// without MFA, who is an administrator, which AssumeRole allows have
// loopholes, whom trust policies admit). Policies that do not parse make
// authorization_details malformed, so every check that needs it is
// NOT_ASSESSED rather than passing on a partial picture.
func (f *Facts) buildAccess(snap *snapshot.Snapshot) {
	if !snap.OK(snapshot.SourceAuthorizationDetails) {
		return
	}
	acct, err := access.New(snap)
	if err != nil {
		f.markMalformed(snapshot.SourceAuthorizationDetails, err)
		return
	}
	f.Access = acct
	f.IAM = acct.Analyze(access.AnalyzeOptions{Now: snap.CollectedAt})
}
