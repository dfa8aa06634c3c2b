package collect

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lockdown-dev/lockdown/internal/collect/iamtest"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

const mfaSerial = "arn:aws:iam::111122223333:mfa/alice"

// mfaProfileServer starts the fake and writes a role_arn + mfa_serial
// profile "admin" whose source profile "base" has static keys.
func mfaProfileServer(t *testing.T) *iamtest.Server {
	t.Helper()
	srv := startServer(t, iamtest.GenerateAccount(testAccountID, 2))
	os.Unsetenv("AWS_ACCESS_KEY_ID")
	os.Unsetenv("AWS_SECRET_ACCESS_KEY")
	dir := t.TempDir()
	cfg := "[profile base]\nregion = us-east-1\n\n[profile admin]\nrole_arn = arn:aws:iam::111122223333:role/Admin\nsource_profile = base\nmfa_serial = " + mfaSerial + "\n"
	creds := "[base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = base-secret-EXAMPLE\n"
	for name, body := range map[string]string{"config": cfg, "credentials": creds} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	return srv
}

func TestMFAPromptForAssumeRoleProfile(t *testing.T) {
	srv := mfaProfileServer(t)
	var stderr bytes.Buffer
	opts := fastOptions()
	opts.Profile = "admin"
	opts.Stdin = strings.NewReader("123456\n")
	opts.Stderr = &stderr
	snap := mustCollect(t, opts)
	requireOK(t, snap, snapshot.SourceCallerIdentity, snapshot.SourceAuthorizationDetails)

	if got, want := stderr.String(), "Enter MFA code for "+mfaSerial+": "; got != want {
		t.Errorf("prompt = %q, want %q", got, want)
	}
	reqs := srv.Requests("AssumeRole")
	if len(reqs) != 1 {
		t.Fatalf("AssumeRole called %d times, want 1", len(reqs))
	}
	if reqs[0].Get("SerialNumber") != mfaSerial || reqs[0].Get("TokenCode") != "123456" || reqs[0].Get("RoleArn") != "arn:aws:iam::111122223333:role/Admin" {
		t.Errorf("AssumeRole request = %v", reqs[0])
	}
	if _, ok := snap.Sources["AssumeRole"]; ok || snap.Sources[snapshot.SourceCallerIdentity].Requests != 1 {
		t.Errorf("credential requests were counted as source requests: %+v", snap.Sources)
	}
}

func TestMFATokenOption(t *testing.T) {
	srv := mfaProfileServer(t)
	var stderr bytes.Buffer
	opts := fastOptions()
	opts.Profile = "admin"
	opts.MFAToken = "654321"
	opts.Stdin = strings.NewReader("") // must not be read
	opts.Stderr = &stderr
	mustCollect(t, opts)
	if stderr.Len() != 0 {
		t.Errorf("prompted although --mfa-token was given: %q", stderr.String())
	}
	if reqs := srv.Requests("AssumeRole"); len(reqs) != 1 || reqs[0].Get("TokenCode") != "654321" {
		t.Errorf("AssumeRole requests = %v", reqs)
	}
}

func TestMFAPromptNoAnswer(t *testing.T) {
	srv := mfaProfileServer(t)
	opts := fastOptions()
	opts.Profile = "admin"
	opts.Stdin = strings.NewReader("\n")
	opts.Stderr = &bytes.Buffer{}
	_, err := Collect(context.Background(), opts)
	var ce *CredentialsError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "no MFA code entered for "+mfaSerial) || strings.Contains(err.Error(), "\n") {
		t.Fatalf("err = %v, want a one-line *CredentialsError about the missing code", err)
	}
	if srv.Count("AssumeRole") != 0 || srv.Count("GetCallerIdentity") != 0 {
		t.Errorf("requests sent without an MFA code: %v", srv.Counts())
	}
}

// TestMFAPromptTimeout: an MFA prompt nobody answers ends with the
// collection timeout.
func TestMFAPromptTimeout(t *testing.T) {
	srv := mfaProfileServer(t)
	opts := fastOptions()
	opts.Profile = "admin"
	pr, pw := io.Pipe() // never written
	t.Cleanup(func() { pw.Close() })
	opts.Stdin = pr
	opts.Stderr = &bytes.Buffer{}
	opts.Timeout = 200 * time.Millisecond
	_, err := collectCtx(t, opts)
	var ce *CredentialsError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "collection timeout") || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want a *CredentialsError naming the collection timeout", err)
	}
	if srv.Count("AssumeRole") != 0 {
		t.Errorf("AssumeRole sent without an MFA code")
	}
}
