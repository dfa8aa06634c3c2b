package engine

import (
	"context"

	"github.com/lockdown-dev/lockdown/internal/facts"
	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// evaluateSnapshot is the audit path from a snapshot: facts.Build, then
// Evaluate.
func evaluateSnapshot(ctx context.Context, e *Engine, snap *snapshot.Snapshot, ids []string) (*Outcome, error) {
	f, err := facts.Build(snap)
	if err != nil {
		return nil, err
	}
	return e.Evaluate(ctx, f, ids)
}

// snapshotResults is evaluateSnapshot's results.
func snapshotResults(ctx context.Context, e *Engine, snap *snapshot.Snapshot, ids []string) ([]findings.Result, error) {
	out, err := evaluateSnapshot(ctx, e, snap, ids)
	if err != nil {
		return nil, err
	}
	return out.Results, nil
}
