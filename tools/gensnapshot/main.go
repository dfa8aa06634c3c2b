// Command gensnapshot writes a large synthetic snapshot for benchmarks:
//
//	go run ./tools/gensnapshot -users 10000 -roles 2000 -policies 5000 -o FILE
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/snapshot/snapshottest"
)

func main() {
	var cfg snapshottest.Config
	flag.IntVar(&cfg.Users, "users", 1000, "IAM users")
	flag.IntVar(&cfg.Roles, "roles", 200, "IAM roles")
	flag.IntVar(&cfg.Policies, "policies", 500, "customer managed policies")
	flag.IntVar(&cfg.Groups, "groups", 0, "IAM groups (0: derived from -users)")
	flag.Int64Var(&cfg.Seed, "seed", 1, "random seed; the same flags always give the same file")
	out := flag.String("o", "", "output file (required)")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 || cfg.Users < 0 || cfg.Roles < 0 || cfg.Policies < 0 {
		fmt.Fprintln(os.Stderr, "usage: gensnapshot [-users N] [-roles N] [-policies N] [-groups N] [-seed N] -o FILE")
		os.Exit(2)
	}
	start := time.Now()
	s := snapshottest.Generate(cfg)
	if err := snapshot.Save(*out, s); err != nil {
		fmt.Fprintln(os.Stderr, "gensnapshot:", err)
		os.Exit(1)
	}
	st, err := os.Stat(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gensnapshot:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "gensnapshot: %s: %d users, %d groups, %d roles, %d policies, %.1f MB in %s\n",
		*out, len(s.Users), len(s.Groups), len(s.Roles), len(s.Policies), float64(st.Size())/1e6, time.Since(start).Round(time.Millisecond))
}
