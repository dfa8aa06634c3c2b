package privesc_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/facts"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

func TestSmoke(t *testing.T) {
	path := os.Getenv("PE_SNAP")
	if path == "" {
		t.Skip()
	}
	s, _, err := snapshot.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := facts.Build(s)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for arn, v := range f.Escalation {
		if len(v.Paths) > 0 {
			n++
			if n < 15 {
				b, _ := json.Marshal(v)
				t.Logf("%s %s", arn, b)
			}
		}
	}
	t.Logf("%d of %d, decisions %d %s", n, len(f.Escalation), f.EscalationResult.Decisions, f.EscalationResult.Stats)
}
