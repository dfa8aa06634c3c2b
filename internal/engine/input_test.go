package engine

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/facts"
)

// InputJSON is the facts as encoding/json writes them plus the parameters
// in force, byte for byte the same on every call.
func TestInputJSON(t *testing.T) {
	e := newEngine(t, Options{Params: map[string]any{"root_recent_days": "7"}})
	f, err := facts.Build(guideAccount())
	if err != nil {
		t.Fatal(err)
	}
	doc, err := e.InputJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	again, err := e.InputJSON(f)
	if err != nil || !bytes.Equal(doc, again) {
		t.Fatalf("not deterministic (%v)", err)
	}
	var got map[string]any
	if err := json.Unmarshal(doc, &got); err != nil {
		t.Fatal(err)
	}
	params, ok := got["params"].(map[string]any)
	if !ok || params["root_recent_days"] != 7.0 || params["access_key_max_age_days"] == nil {
		t.Fatalf("params: %v", got["params"])
	}
	delete(got, "params")
	plain, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]any
	if err := json.Unmarshal(plain, &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatal("the input document differs from the facts' JSON")
	}
	if _, err := e.InputJSON(nil); err == nil {
		t.Fatal("nil facts accepted")
	}
}

// Evaluate takes facts built by facts.Build; without them it is an error,
// not a panic.
func TestEvaluateNeedsFacts(t *testing.T) {
	e := newEngine(t, Options{})
	if _, err := e.Evaluate(t.Context(), nil, nil); err == nil {
		t.Fatal("nil facts accepted")
	}
}
