package engine

import (
	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/snapshot/snapshottest"
)

// syntheticSnapshot is the large, varied account whose results the tests
// can count from its sizes (snapshottest.Patterned).
func syntheticSnapshot(users, roles, policies int) *snapshot.Snapshot {
	return snapshottest.Patterned(users, roles, policies)
}
