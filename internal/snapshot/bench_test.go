package snapshot_test

import (
	"fmt"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/snapshot/snapshottest"
)

// BenchmarkDecode measures reading a snapshot (parse, schema validation,
// decoding into types) of generated accounts the size of the bench
// snapshots: 1k and 10k users. BenchmarkDecodeFloor is the floor the
// audit is measured against: encoding/json into maps.
func BenchmarkDecode(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		data := generated(b, n)
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := snapshot.Decode("bench.json", data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func generated(b *testing.B, users int) []byte {
	b.Helper()
	data, err := snapshot.Marshal(snapshottest.Generate(snapshottest.Config{Users: users, Roles: users / 5, Policies: users / 2, Seed: 1}))
	if err != nil {
		b.Fatal(err)
	}
	return data
}
