package collect

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go/logging"

	"github.com/lockdown-dev/lockdown/internal/collect/iamtest"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// Credentials used by the tests below; each has the shape of the real thing.
const (
	leakKeyID   = "AKIAIOSFODNN7EXAMPLE"
	leakSecret  = "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"
	leakToken   = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDleakTOKEN0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+abcdefghijklmnopqrstuvwxyz/ABCDEFGHIJKLMNOP=="
	leakJWT     = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImxlYWsifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6bGVhayJ9.bGVha3NpZ25hdHVyZXZhbHVlMDEyMzQ1Njc4OQ"
	leakSSO     = "aoaAAAAAGleakSSOaccessTokenExampleExampleExampleExampleExampleExampleExampleExampleExample0123456789LEAK"
	leakProcess = "procLEAKsecretAccessKey0123456789abcdEF/+" // 40 characters
)

var signature = regexp.MustCompile(`Signature=[0-9a-f]{64}`)

// loopbackClient refuses to dial anything but 127.0.0.1, so a credential
// provider that ignores the endpoint settings cannot reach AWS.
func loopbackClient() aws.HTTPClient {
	d := &net.Dialer{Timeout: 2 * time.Second}
	return awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
		tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, err := net.SplitHostPort(addr)
			if err != nil || host != "127.0.0.1" {
				return nil, fmt.Errorf("test transport: refusing to dial %s", addr)
			}
			return d.DialContext(ctx, network, addr)
		}
	})
}

// noSecret fails when text holds any of the secrets or a SigV4 signature.
func noSecret(t *testing.T, where, text string, secrets ...string) {
	t.Helper()
	for _, s := range append(secrets, leakSecret, leakToken, leakJWT, leakSSO, leakProcess) {
		if strings.Contains(text, s) {
			t.Errorf("%s contains the secret %.12s...: %s", where, s, text)
		}
	}
	if signature.MatchString(text) {
		t.Errorf("%s contains a request signature: %s", where, text)
	}
}

// credEnv starts a server whose account answers, clears the environment's
// credentials and returns the config and credentials file paths the SDK
// reads and a scratch directory (also HOME).
func credEnv(t *testing.T) (srv *iamtest.Server, configPath, credPath, dir string) {
	t.Helper()
	srv = startServer(t, iamtest.GenerateAccount(testAccountID, 2))
	dir = t.TempDir()
	t.Setenv("HOME", dir)
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	// Every credential provider's own client goes to the test server.
	t.Setenv("AWS_ENDPOINT_URL_STS", srv.URL)
	t.Setenv("AWS_ENDPOINT_URL_SSO", srv.URL)
	t.Setenv("AWS_ENDPOINT_URL_SSO_OIDC", srv.URL)
	return srv, os.Getenv("AWS_CONFIG_FILE"), os.Getenv("AWS_SHARED_CREDENTIALS_FILE"), dir
}

func write(t *testing.T, path, text string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), mode); err != nil {
		t.Fatal(err)
	}
}

func secretOptions() Options {
	o := fastOptions()
	o.HTTPClient = loopbackClient()
	o.MaxAttempts = 1
	return o
}

// rawCause is the unredacted error text the SDK produced, to prove a test
// exercises a leak.
func rawCause(err error) string {
	var ce *CredentialsError
	if errors.As(err, &ce) {
		return ce.Err.Error()
	}
	var ie *IdentityError
	if errors.As(err, &ie) && ie.Err != nil {
		return ie.Err.Error()
	}
	return ""
}

// TestNoSecretInErrors runs each credential source the SDK has into an
// error that quotes it, and checks that neither Collect's error nor the
// snapshot does.
func TestNoSecretInErrors(t *testing.T) {
	t.Run("environment", func(t *testing.T) {
		srv, _, _, _ := credEnv(t)
		t.Setenv("AWS_ACCESS_KEY_ID", "ASIAIOSFODNN7EXAMPLE")
		t.Setenv("AWS_SECRET_ACCESS_KEY", leakSecret)
		t.Setenv("AWS_SESSION_TOKEN", leakToken)
		srv.EchoCredentials("GetAccountSummary")
		snap := mustCollect(t, secretOptions())
		st := requireError(t, snap, snapshot.SourceAccountSummary, "InvalidRequest", "Authorization")
		data, _ := snapshot.Marshal(snap)
		noSecret(t, "snapshot", string(data))
		if !strings.Contains(st.Error.Message, "ASIAIOSFODNN7EXAMPLE") && !strings.Contains(st.Error.Message, "[REDACTED]") {
			t.Errorf("message = %q", st.Error.Message)
		}

		srv.EchoCredentials("GetCallerIdentity")
		_, err := Collect(context.Background(), secretOptions())
		if !strings.Contains(rawCause(err), leakToken) {
			t.Fatalf("the server did not quote the session token: %v", rawCause(err))
		}
		noSecret(t, "Collect's error", err.Error())
	})

	t.Run("shared credentials file", func(t *testing.T) {
		srv, _, credPath, _ := credEnv(t)
		write(t, credPath, "[default]\naws_access_key_id = ASIAIOSFODNN7EXAMPLE\naws_secret_access_key = "+leakSecret+"\naws_session_token = "+leakToken+"\n", 0o600)
		srv.EchoCredentials("GetCallerIdentity")
		_, err := Collect(context.Background(), secretOptions())
		if !strings.Contains(rawCause(err), leakToken) {
			t.Fatalf("the server did not quote the session token: %v", rawCause(err))
		}
		noSecret(t, "Collect's error", err.Error())
	})

	t.Run("malformed shared credentials file", func(t *testing.T) {
		_, _, credPath, _ := credEnv(t)
		write(t, credPath, "[default]\naws_access_key_id = "+leakKeyID+"\naws_secret_access_key "+leakSecret+"\n", 0o600)
		_, err := Collect(context.Background(), secretOptions())
		if err == nil {
			t.Fatal("no error")
		}
		noSecret(t, "Collect's error", err.Error())
	})

	t.Run("credential_process", func(t *testing.T) {
		_, configPath, _, dir := credEnv(t)
		helper := filepath.Join(dir, "creds-helper.sh")
		// Broken JSON: the object is never closed.
		write(t, helper, "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \""+leakKeyID+"\", \"SecretAccessKey\": \""+leakProcess+"\", \"SessionToken\": \""+leakToken+"\"'\n", 0o700)
		write(t, configPath, "[default]\ncredential_process = "+helper+"\n", 0o600)
		_, err := Collect(context.Background(), secretOptions())
		var ce *CredentialsError
		if !errors.As(err, &ce) {
			t.Fatalf("err = %v, want a *CredentialsError", err)
		}
		if raw := rawCause(err); !strings.Contains(raw, leakProcess) || !strings.Contains(raw, leakToken) {
			t.Fatalf("the SDK's error no longer quotes the helper's output (test needs a new leak): %s", raw)
		}
		noSecret(t, "Collect's error", err.Error())
		if !strings.Contains(err.Error(), leakKeyID) || !strings.Contains(err.Error(), "parse failed") {
			t.Errorf("error lost its useful part: %v", err)
		}
	})

	t.Run("web identity token file", func(t *testing.T) {
		srv, _, _, dir := credEnv(t)
		tokenFile := filepath.Join(dir, "token")
		write(t, tokenFile, leakJWT, 0o600)
		t.Setenv("AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile)
		t.Setenv("AWS_ROLE_ARN", "arn:aws:iam::"+testAccountID+":role/ci")
		srv.EchoCredentials("AssumeRoleWithWebIdentity")
		_, err := Collect(context.Background(), secretOptions())
		if !strings.Contains(rawCause(err), leakJWT) {
			t.Fatalf("the server did not quote the token: %v", rawCause(err))
		}
		noSecret(t, "Collect's error", err.Error())
	})

	t.Run("SSO cache", func(t *testing.T) {
		srv, configPath, _, dir := credEnv(t)
		write(t, configPath, "[default]\nsso_session = corp\nsso_account_id = "+testAccountID+"\nsso_role_name = Audit\n"+
			"[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n", 0o600)
		sum := sha1.Sum([]byte("corp"))
		cache := filepath.Join(dir, ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json")
		write(t, cache, `{"accessToken": "`+leakSSO+`", "expiresAt": "2099-01-01T00:00:00Z", "region": "us-east-1", "startUrl": "https://corp.awsapps.com/start"}`, 0o600)
		srv.EchoCredentials("GetRoleCredentials")
		_, err := Collect(context.Background(), secretOptions())
		if srv.Count("GetRoleCredentials") == 0 || !strings.Contains(rawCause(err), leakSSO) {
			t.Fatalf("the SSO endpoint was not asked or did not quote the token: %v", rawCause(err))
		}
		noSecret(t, "Collect's error", err.Error())

		// A cache file that is not JSON.
		write(t, cache, `{"accessToken": "`+leakSSO+`", "expiresAt": `, 0o600)
		_, err = Collect(context.Background(), secretOptions())
		if err == nil {
			t.Fatal("no error")
		}
		noSecret(t, "Collect's error", err.Error())
	})

	t.Run("container credentials endpoint", func(t *testing.T) {
		credEnv(t)
		// An endpoint that refuses the request quoting the authorization
		// token it was sent.
		ep := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"code": "InvalidToken", "message": "Authorization: %s is not valid"}`, r.Header.Get("Authorization"))
		}))
		t.Cleanup(ep.Close)
		t.Setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", ep.URL+"/creds")
		t.Setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", leakSSO)
		_, err := Collect(context.Background(), secretOptions())
		if !strings.Contains(rawCause(err), leakSSO) {
			t.Fatalf("the endpoint's refusal does not quote the token: %v", rawCause(err))
		}
		noSecret(t, "Collect's error", err.Error())
	})

	t.Run("config file parse error", func(t *testing.T) {
		_, configPath, credPath, _ := credEnv(t)
		write(t, configPath, "[default]\nregion = us-east-1\naws_secret_access_key "+leakSecret+"\n[profile broken\n", 0o600)
		write(t, credPath, "[default]\naws_access_key_id = "+leakKeyID+"\naws_secret_access_key = "+leakSecret+"\n", 0o600)
		snap, err := Collect(context.Background(), secretOptions())
		if err != nil {
			noSecret(t, "Collect's error", err.Error())
			return
		}
		st := requireError(t, snap, snapshot.SourceAWSConfig, "MalformedAWSConfig")
		noSecret(t, "aws_config error", st.Error.Message)
		data, _ := snapshot.Marshal(snap)
		noSecret(t, "snapshot", string(data))
	})
}

// TestMFAPromptRedacted: what collect writes to stderr goes through redact.
func TestMFAPromptRedacted(t *testing.T) {
	var out strings.Builder
	opts := Options{Stdin: strings.NewReader("123456\n"), Stderr: &out}
	// A secret pasted as mfa_serial.
	code, err := mfaTokenProvider(context.Background(), leakSecret, opts)()
	if err != nil || code != "123456" {
		t.Fatalf("code %q err %v", code, err)
	}
	if strings.Contains(out.String(), leakSecret) || !strings.Contains(out.String(), "Enter MFA code for") {
		t.Errorf("prompt = %q", out.String())
	}
}

// TestSDKLogRedacted: the SDK's own log lines reach stderr through redact.
func TestSDKLogRedacted(t *testing.T) {
	var out strings.Builder
	sdkLogger{w: &out}.Logf(logging.Warn, "retrying request with\nX-Amz-Security-Token: %s", leakToken)
	if strings.Contains(out.String(), leakToken) || !strings.HasPrefix(out.String(), "lockdown: AWS SDK WARN: retrying request with; ") || strings.Count(out.String(), "\n") != 1 {
		t.Errorf("log line = %q", out.String())
	}
}
