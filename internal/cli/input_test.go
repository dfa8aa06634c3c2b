package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// audit --format input prints the Rego input document: deterministic JSON
// with the facts and the parameters in force; no check runs.
func TestAuditFormatInput(t *testing.T) {
	args := []string{"audit", "--snapshot", snapshotPath("guide-as-written.json"), "--format", "input"}
	out, stderr, code := run(t, args...)
	if code != ExitOK {
		t.Fatalf("exit %d (findings do not count: no check runs): %s", code, stderr)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	for _, key := range []string{"account", "collected_at", "now_epoch", "sources", "users", "groups", "roles", "policies", "iam", "params", "problems"} {
		if _, ok := doc[key]; !ok {
			t.Errorf("input has no %q", key)
		}
	}
	if _, ok := doc["Access"]; ok {
		t.Error("the account's parsed principals are not part of the input")
	}
	users, _ := doc["users"].(map[string]any)
	if _, ok := users["arn:aws:iam::123456789012:user/alice"]; !ok {
		t.Errorf("users are keyed by ARN: %v", keys(users))
	}
	params, _ := doc["params"].(map[string]any)
	if params["root_recent_days"] == nil {
		t.Errorf("params: %v", params)
	}
	again, _, _ := run(t, args...)
	if again != out {
		t.Error("two runs print different input documents")
	}
	if !strings.HasPrefix(out, "{\n  \"account\": {") {
		t.Errorf("not indented with sorted keys: %.60q", out)
	}

	withParam, _, code := run(t, append(args, "--param", "root_recent_days=3")...)
	if code != ExitOK {
		t.Fatalf("--param: exit %d", code)
	}
	var doc2 struct {
		Params map[string]any `json:"params"`
	}
	if err := json.Unmarshal([]byte(withParam), &doc2); err != nil || doc2.Params["root_recent_days"] != 3.0 {
		t.Fatalf("--param root_recent_days=3: params %v (%v)", doc2.Params, err)
	}

	if _, stderr, code := run(t, append(args, "-o", "json="+t.TempDir()+"/r.json")...); code != ExitInput || !strings.Contains(stderr, "--format input") {
		t.Fatalf("--format input with -o: exit %d: %s", code, stderr)
	}
	if _, stderr, code := run(t, "audit", "--snapshot", snapshotPath("guide-as-written.json"), "-o", "input=-"); code != ExitInput || !strings.Contains(stderr, `unknown format "input"`) {
		t.Fatalf("-o input=-: exit %d: %s", code, stderr)
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
