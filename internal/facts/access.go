package facts

import (
	"slices"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/access"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// buildAccess asks the IAM policy engine the guide's questions (what works
// without MFA, who is an administrator, which AssumeRole allows have
// loopholes, whom trust policies admit). A policy that does not parse, or a
// group or policy the snapshot does not describe, is a Problem; the users,
// groups and roles it applies to are PolicyUnknown and left out of the
// analysis, so their checks are NOT_ASSESSED rather than passing on a
// partial picture, while everyone else is judged.
func (f *Facts) buildAccess(snap *snapshot.Snapshot) {
	if !snap.OK(snapshot.SourceAuthorizationDetails) {
		return
	}
	acct, err := access.New(snap)
	if err != nil {
		f.markMalformed(snapshot.SourceAuthorizationDetails, err)
		return
	}
	names := map[string]string{}
	for i := range snap.Users {
		names[snap.Users[i].ARN] = snap.Users[i].Name
	}
	for i := range snap.Groups {
		names[snap.Groups[i].ARN] = snap.Groups[i].Name
	}
	for i := range snap.Roles {
		names[snap.Roles[i].ARN] = snap.Roles[i].Name
	}
	for _, p := range acct.Problems {
		code := ErrorCodeMalformed
		if p.Missing {
			code = ErrorCodeIncomplete
		}
		// The item itself (a policy that cannot be read) is unknown too,
		// for the checks that judge policies rather than principals.
		res := append([]string{}, p.Affects...)
		if p.Resource != "" && !slices.Contains(res, p.Resource) {
			res = append(res, p.Resource)
		}
		f.addProblem(Problem{Source: snapshot.SourceAuthorizationDetails, Item: p.Item,
			Resources: res, Code: code, Message: p.Message})
		for _, arn := range p.Affects {
			unknownEntry(f.PolicyUnknown, arn, names[arn], entityType(arn), acct.Unknown(arn))
		}
	}
	f.Access = acct
	f.IAM = acct.Analyze(access.AnalyzeOptions{Now: snap.CollectedAt})
}

// entityType tells a user, group or role ARN apart.
func entityType(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	res := parts[len(parts)-1]
	switch {
	case strings.HasPrefix(res, "group/"):
		return TypeGroup
	case strings.HasPrefix(res, "role/"):
		return TypeRole
	}
	return TypeUser
}
