package differential

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/lockdown-dev/lockdown/internal/iampolicy"
)

// SimResult is one line of run.mjs output.
type SimResult struct {
	ID      string   `json:"id"`
	Result  string   `json:"result"` // "Allowed", "ExplicitlyDenied" or "ImplicitlyDenied"
	Error   string   `json:"error,omitempty"`
	Ignored []string `json:"ignored,omitempty"` // context keys the simulator dropped
}

// SimEffect maps a simulator result onto iampolicy's effects.
func SimEffect(s string) (iampolicy.Effect, bool) {
	switch s {
	case "Allowed":
		return iampolicy.Allow, true
	case "ExplicitlyDenied":
		return iampolicy.ExplicitDeny, true
	case "ImplicitlyDenied":
		return iampolicy.ImplicitDeny, true
	}
	return "", false
}

// Tool locates tools/iamsim relative to the repository root.
type Tool struct {
	Root string // repository root
}

func (t Tool) dir() string { return filepath.Join(t.Root, "tools", "iamsim") }

// Installed reports whether tools/iamsim/install.sh (run by `make deps`)
// has installed the simulator; tests never install it themselves.
func (t Tool) Installed() error {
	pkg := filepath.Join(t.Root, ".cache", "iamsim", "node_modules", "@cloud-copilot", "iam-simulate", "package.json")
	if _, err := os.Stat(pkg); err != nil {
		return fmt.Errorf("the simulator is not installed (%v): run make deps (tools/iamsim/install.sh)", err)
	}
	return nil
}

// WriteCases writes cases as JSON Lines.
func WriteCases(w *bytes.Buffer, cases []Case) error {
	enc := json.NewEncoder(w)
	for i := range cases {
		if err := enc.Encode(&cases[i]); err != nil {
			return fmt.Errorf("case %s: %v", cases[i].ID, err)
		}
	}
	return nil
}

// Run evaluates all cases in one node process and returns the results in
// input order.
func (t Tool) Run(ctx context.Context, cases []Case) ([]SimResult, error) {
	var in bytes.Buffer
	if err := WriteCases(&in, cases); err != nil {
		return nil, err
	}
	out, err := t.node(ctx, &in)
	if err != nil {
		return nil, err
	}
	var res []SimResult
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for n := 1; sc.Scan(); n++ {
		var r SimResult
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("run.mjs stdout line %d: %v", n, err)
		}
		res = append(res, r)
	}
	if len(res) != len(cases) {
		return nil, fmt.Errorf("run.mjs returned %d results for %d cases", len(res), len(cases))
	}
	for i := range res {
		if res[i].ID != cases[i].ID {
			return nil, fmt.Errorf("run.mjs result %d has id %q, want %q", i+1, res[i].ID, cases[i].ID)
		}
	}
	return res, nil
}

// BenchResult is run.mjs --bench output.
type BenchResult struct {
	Decisions          int            `json:"decisions"`
	Seconds            float64        `json:"seconds"`
	DecisionsPerSecond float64        `json:"decisionsPerSecond"`
	Results            map[string]int `json:"results"`
}

// Bench evaluates cases round-robin n times inside node.
func (t Tool) Bench(ctx context.Context, cases []Case, n int) (BenchResult, error) {
	var br BenchResult
	var in bytes.Buffer
	if err := WriteCases(&in, cases); err != nil {
		return br, err
	}
	out, err := t.node(ctx, &in, "--bench", fmt.Sprint(n), "--cases", "-")
	if err != nil {
		return br, err
	}
	if err := json.Unmarshal(bytes.TrimSpace(out), &br); err != nil {
		return br, fmt.Errorf("run.mjs --bench output %q: %v", out, err)
	}
	return br, nil
}

func (t Tool) node(ctx context.Context, stdin *bytes.Buffer, args ...string) ([]byte, error) {
	node := os.Getenv("NODE")
	if node == "" {
		node = "node"
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	script := filepath.Join(t.dir(), "run.mjs")
	cmd := exec.CommandContext(ctx, node, append([]string{script}, args...)...)
	cmd.Stdin = stdin
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s %s: %v: %s", node, script, err, bytes.TrimSpace(stderr.Bytes()))
	}
	return stdout.Bytes(), nil
}
