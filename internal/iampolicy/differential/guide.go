package differential

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/lockdown-dev/lockdown/internal/iampolicy"
)

// GuideCases is the benchmark workload: the guide's user "username" in the
// Users group (IAMRequireMFA), the Administrators group (AdminPolicy) and
// with the AssumeAdminRole policy, asking four questions under the three
// named contexts, the same requests as internal/iampolicy's
// BenchmarkEvaluateGuide. testdata is internal/iampolicy/testdata.
func GuideCases(testdata string) ([]Case, error) {
	var docs []json.RawMessage
	for _, f := range []string{"guide-IAMRequireMFA.json", "guide-AdminPolicy.json", "guide-AssumeAdminRole.json"} {
		b, err := os.ReadFile(filepath.Join(testdata, f))
		if err != nil {
			return nil, fmt.Errorf("guide workload: %w", err)
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			return nil, fmt.Errorf("guide workload: %s: %v", f, err)
		}
		compact, _ := json.Marshal(v)
		docs = append(docs, compact)
	}
	u := iampolicy.Principal{
		ARN: "arn:aws:iam::" + Account + ":user/username", AccountID: Account, Type: "user",
		Name: "username", ID: "AIDAEXAMPLEUSERID0001",
	}
	reqs := []struct{ ctx, action, resource string }{
		{iampolicy.ContextAccessKey, "iam:CreateUser", "arn:aws:iam::" + Account + ":user/new"},
		{iampolicy.ContextAccessKey, "s3:ListAllMyBuckets", "*"},
		{iampolicy.ContextSessionNoMFA, "iam:ChangePassword", u.ARN},
		{iampolicy.ContextMFASession, "sts:AssumeRole", "arn:aws:iam::" + Account + ":role/AdminRole"},
	}
	var out []Case
	for i, r := range reqs {
		// Spelled-out contexts rather than NamedContext, so that the
		// checked-in tools/iamsim/guide-bench.jsonl stays stable.
		ctx := pinnedContext(r.ctx, u)
		out = append(out, Case{
			ID: fmt.Sprintf("guide%d", i), Identity: docs, Principal: u,
			Request: WireRequest{Principal: u.ARN, Action: r.action, Resource: r.resource, Context: ctx},
		})
	}
	return out, nil
}
