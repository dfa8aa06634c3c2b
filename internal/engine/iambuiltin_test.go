package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/lockdown-dev/lockdown/internal/access"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// The built-in resolves principals of the audited account by ARN or name.
func TestIAMDecideResolvesAccountPrincipals(t *testing.T) {
	snap, _, err := snapshot.Load("../../testdata/snapshots/guide-as-written.json")
	if err != nil {
		t.Fatal(err)
	}
	acct, err := access.New(snap)
	if err != nil {
		t.Fatal(err)
	}
	ctx := withEvaluation(context.Background(), acct, snap.CollectedAt)
	d, err := decide(ctx, ast.String("alice"), "iam:AttachUserPolicy", "arn:aws:iam::123456789012:user/alice", ast.String("access_key"))
	if err != nil {
		t.Fatal(err)
	}
	if !d.Allowed {
		t.Fatalf("guide as written: alice may attach policies with access keys alone; got %s (%s)", d.Effect, d.Reason)
	}
	d, err = decide(ctx, ast.String("arn:aws:iam::123456789012:user/alice"), "s3:ListAllMyBuckets", "*", ast.String("access_key"))
	if err != nil || d.Allowed {
		t.Fatalf("s3 without MFA: %v %v", d.Effect, err)
	}
	if _, err := decide(context.Background(), ast.String("alice"), "s3:ListAllMyBuckets", "*", ast.String("access_key")); err == nil ||
		!strings.Contains(err.Error(), "no account") {
		t.Fatalf("without an audited account: %v", err)
	}
	if _, err := decide(ctx, ast.String("alice"), "s3:ListAllMyBuckets", "*", ast.String("sometimes")); err == nil {
		t.Fatal("unknown context name accepted")
	}
}
