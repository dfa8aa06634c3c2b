// Package collect reads an AWS account through read-only IAM and STS calls
// and records what it got, source by source, in a snapshot. It is the only
// package that imports the AWS SDK.
package collect

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// DefaultRegion is used when neither the options nor the AWS configuration
// name a region. IAM is a global service served from us-east-1 in the aws
// partition.
const DefaultRegion = "us-east-1"

// Options controls a collection. The zero value is usable.
type Options struct {
	Profile  string // shared config profile; "" = SDK default chain (AWS_PROFILE, default)
	Region   string // "" = from the AWS configuration, else DefaultRegion
	MFAToken string // MFA code for a role_arn + mfa_serial profile; "" = prompt on the terminal

	// CredentialReportTimeout bounds the wait for IAM to finish the
	// credential report (default 2m).
	CredentialReportTimeout time.Duration
	// CredentialReportPoll is the first wait between credential report
	// polls (default 2s); it doubles up to 16 times that, capped at 30s.
	CredentialReportPoll time.Duration

	// Progress, when set, is called as each request of a source (a page, a
	// poll) starts, with the number of requests the source has made so far.
	// Sources run concurrently; calls are serialised.
	Progress func(source string, pages int)

	ToolVersion string // written to Snapshot.Generator.Version

	// HTTPClient replaces the SDK's HTTP client (tests).
	HTTPClient aws.HTTPClient
	// MaxAttempts is the adaptive retryer's attempts per request including
	// the first (default 8: IAM throttles GetAccountAuthorizationDetails).
	MaxAttempts int
	// MaxBackoff caps the wait between retries (default 20s).
	MaxBackoff time.Duration

	// Stdin and Stderr are used for the MFA prompt. nil: the terminal
	// (/dev/tty) when there is one, else os.Stdin; os.Stderr.
	Stdin  io.Reader
	Stderr io.Writer

	// AWSConfigDir, when set, is read with ReadAWSConfig into
	// Snapshot.AWSConfig (source aws_config). "" skips the source.
	AWSConfigDir string

	// Now is the clock for CollectedAt (default time.Now).
	Now func() time.Time

	// standardRetry swaps adaptive mode for standard mode (same attempts
	// and backoff, no client-side rate limiting): tests only, so that
	// injected throttles do not slow them down by seconds.
	standardRetry bool
}

func (o Options) withDefaults() Options {
	if o.CredentialReportTimeout <= 0 {
		o.CredentialReportTimeout = 2 * time.Minute
	}
	if o.CredentialReportPoll <= 0 {
		o.CredentialReportPoll = 2 * time.Second
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 8
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 20 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// CredentialsError means the AWS configuration or credentials could not be
// loaded or were rejected. The CLI maps it to exit code 3; Error() is one
// line.
type CredentialsError struct {
	Profile string
	Err     error
}

func (e *CredentialsError) Error() string {
	who := "default credential chain"
	if p := e.Profile; p != "" {
		who = fmt.Sprintf("profile %q", p)
	} else if p := os.Getenv("AWS_PROFILE"); p != "" {
		who = fmt.Sprintf("profile %q from AWS_PROFILE", p)
	}
	return fmt.Sprintf("cannot use AWS credentials (%s): %s", who, oneLine(e.Err.Error()))
}

func (e *CredentialsError) Unwrap() error { return e.Err }

// Collect loads the AWS configuration (the SDK default chain: environment,
// shared config and credentials files, SSO, AWS_ENDPOINT_URL*), checks the
// credentials, then collects every source. Sources that fail are recorded
// in Snapshot.Sources with their error and keep what they got; they do not
// make Collect fail. Collect returns an error only when it cannot start or
// is stopped: a *CredentialsError for configuration and credential problems
// (the snapshot is then nil, or holds the failed caller_identity source
// when AWS rejected the credentials), or the context's error together with
// what was collected until then.
func Collect(ctx context.Context, opts Options) (*snapshot.Snapshot, error) {
	opts = opts.withDefaults()
	cfg, err := loadConfig(ctx, opts)
	if err != nil {
		return nil, err
	}
	return collectWith(ctx, cfg, opts)
}

func loadConfig(ctx context.Context, opts Options) (aws.Config, error) {
	lo := []func(*config.LoadOptions) error{
		config.WithDefaultRegion(DefaultRegion),
		config.WithRetryer(func() aws.Retryer {
			std := func(so *retry.StandardOptions) {
				so.MaxAttempts = opts.MaxAttempts
				so.MaxBackoff = opts.MaxBackoff
			}
			if opts.standardRetry {
				return retry.NewStandard(std)
			}
			// Adaptive: on throttling the client also slows its own
			// request rate, which matters with several concurrent streams.
			return retry.NewAdaptiveMode(func(ao *retry.AdaptiveModeOptions) {
				ao.StandardOptions = append(ao.StandardOptions, std)
			})
		}),
		config.WithAssumeRoleCredentialOptions(func(o *stscreds.AssumeRoleOptions) {
			if o.SerialNumber != nil && o.TokenProvider == nil {
				o.TokenProvider = mfaTokenProvider(*o.SerialNumber, opts)
			}
			// The SDK builds its assume-role STS client before it applies
			// AWS_ENDPOINT_URL (AWS_ENDPOINT_URL_STS does reach it), so a
			// profile pointed at an emulator would assume the role at the
			// real STS endpoint. Give that client the endpoint too.
			ignore := strings.EqualFold(os.Getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true")
			if ep, ok := os.LookupEnv("AWS_ENDPOINT_URL"); ok && ep != "" && !ignore {
				if _, svc := os.LookupEnv("AWS_ENDPOINT_URL_STS"); !svc {
					if c, isSTS := o.Client.(*sts.Client); isSTS && c.Options().BaseEndpoint == nil {
						o.Client = sts.New(c.Options(), func(so *sts.Options) { so.BaseEndpoint = aws.String(ep) })
					}
				}
			}
		}),
	}
	if opts.Profile != "" {
		lo = append(lo, config.WithSharedConfigProfile(opts.Profile))
	}
	if opts.Region != "" {
		lo = append(lo, config.WithRegion(opts.Region))
	}
	if opts.HTTPClient != nil {
		lo = append(lo, config.WithHTTPClient(opts.HTTPClient))
	}
	cfg, err := config.LoadDefaultConfig(ctx, lo...)
	if err != nil {
		return aws.Config{}, &CredentialsError{Profile: opts.Profile, Err: err}
	}
	if cfg.Credentials == nil {
		return aws.Config{}, &CredentialsError{Profile: opts.Profile, Err: errors.New("no credentials found")}
	}
	// Resolve now (and prompt for MFA now) so a credential problem stops
	// the run with one clear error instead of failing every source.
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		if ctx.Err() != nil {
			return aws.Config{}, ctx.Err()
		}
		return aws.Config{}, &CredentialsError{Profile: opts.Profile, Err: err}
	}
	return cfg, nil
}

// collector holds the clients and shared state of one collection.
type collector struct {
	opts Options
	iam  *iam.Client
	sts  *sts.Client

	mu   sync.Mutex // guards snap.Sources and Progress calls
	snap *snapshot.Snapshot
}

type runKey struct{}

// run is one source's bookkeeping.
type run struct {
	c        *collector
	name     string
	requests atomic.Int64
	partial  atomic.Bool
	note     string
}

// countRequests counts operations per source at Initialize, which runs once
// per operation call: retries happen further down the stack and are not
// counted, refused operations never reach it (the guard comes first).
var countRequests = func(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("lockdown.CountRequests",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			if r, ok := ctx.Value(runKey{}).(*run); ok {
				n := r.requests.Add(1)
				r.c.progress(r.name, int(n))
			}
			return next.HandleInitialize(ctx, in)
		}), middleware.After)
}

func newCollector(cfg aws.Config, opts Options) *collector {
	return &collector{
		opts: opts,
		iam: iam.NewFromConfig(cfg, func(o *iam.Options) {
			o.APIOptions = append(o.APIOptions, ReadOnlyGuard(ServiceIAM), countRequests)
		}),
		// The guard goes on lockdown's clients only: the SDK's own STS
		// client for assume-role credentials must still call AssumeRole.
		sts: sts.NewFromConfig(cfg, func(o *sts.Options) {
			o.APIOptions = append(o.APIOptions, ReadOnlyGuard(ServiceSTS), countRequests)
		}),
	}
}

func (c *collector) progress(source string, pages int) {
	if c.opts.Progress == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.opts.Progress(source, pages)
}

func collectWith(ctx context.Context, cfg aws.Config, opts Options) (*snapshot.Snapshot, error) {
	c := newCollector(cfg, opts)
	c.snap = &snapshot.Snapshot{
		Schema:      snapshot.SchemaV1,
		Generator:   snapshot.Generator{Name: "lockdown", Version: opts.ToolVersion},
		CollectedAt: opts.Now().UTC().Truncate(time.Second),
		Sources:     map[string]snapshot.SourceStatus{},
	}

	if opts.AWSConfigDir != "" {
		c.runSource(ctx, snapshot.SourceAWSConfig, c.awsConfig)
	}

	// The caller identity goes first: it is cheap and tells whether AWS
	// accepts the credentials at all.
	idErr := c.runSource(ctx, snapshot.SourceCallerIdentity, c.callerIdentity)
	if idErr != nil {
		if ctx.Err() != nil {
			snapshot.Normalize(c.snap)
			return c.snap, ctx.Err()
		}
		if isCredentialError(idErr) {
			snapshot.Normalize(c.snap)
			return c.snap, &CredentialsError{Profile: opts.Profile, Err: idErr}
		}
	}

	sources := []struct {
		name string
		fn   func(context.Context, *run) error
	}{
		{snapshot.SourceCredentialReport, c.credentialReport},
		{snapshot.SourceAccountSummary, c.accountSummary},
		{snapshot.SourcePasswordPolicy, c.passwordPolicy},
		{snapshot.SourceAccountAliases, c.accountAliases},
		{snapshot.SourceVirtualMFADevices, c.virtualMFADevices},
		{snapshot.SourceAuthorizationDetails, c.authorizationDetails},
	}
	var wg sync.WaitGroup
	for _, s := range sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.runSource(ctx, s.name, s.fn)
		}()
	}
	wg.Wait()
	snapshot.Normalize(c.snap)
	return c.snap, ctx.Err()
}

// runSource runs fn for one source and records its status. Each source
// writes only its own snapshot fields, so sources can run concurrently.
func (c *collector) runSource(ctx context.Context, name string, fn func(context.Context, *run) error) error {
	r := &run{c: c, name: name}
	err := fn(context.WithValue(ctx, runKey{}, r), r)
	st := snapshot.SourceStatus{Status: snapshot.StatusOK, Requests: int(r.requests.Load()), Note: r.note}
	if err != nil {
		st.Status = snapshot.StatusError
		st.Error = classify(err)
		st.Partial = r.partial.Load()
	}
	c.mu.Lock()
	c.snap.Sources[name] = st
	c.mu.Unlock()
	return err
}

// awsConfig reads the local AWS CLI files (no request to AWS).
func (c *collector) awsConfig(ctx context.Context, r *run) error {
	cfg, err := ReadAWSConfig(c.opts.AWSConfigDir)
	c.snap.AWSConfig = cfg
	if err != nil {
		if cfg != nil && len(cfg.Profiles) > 0 {
			r.partial.Store(true)
		}
		return newSourceError("MalformedAWSConfig", "%v", err)
	}
	return nil
}

// sourceError is an error found by lockdown itself (not returned by AWS).
type sourceError struct {
	code string
	msg  string
}

func (e *sourceError) Error() string { return e.code + ": " + e.msg }

func newSourceError(code, format string, args ...any) error {
	return &sourceError{code: code, msg: fmt.Sprintf(format, args...)}
}

// classify turns an error into the code and one-line message recorded in
// the snapshot.
func classify(err error) *snapshot.SourceError {
	var se *sourceError
	if errors.As(err, &se) {
		return &snapshot.SourceError{Code: se.code, Message: oneLine(se.msg)}
	}
	op := ""
	var oe *smithy.OperationError
	if errors.As(err, &oe) {
		op = oe.OperationName + ": "
	}
	var ro *ReadOnlyError
	if errors.As(err, &ro) {
		return &snapshot.SourceError{Code: "ReadOnlyGuard", Message: oneLine(ro.Error())}
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		msg := ae.ErrorMessage()
		if msg == "" {
			msg = "(no message)"
		}
		return &snapshot.SourceError{Code: ae.ErrorCode(), Message: oneLine(op + msg)}
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return &snapshot.SourceError{Code: "Timeout", Message: oneLine(err.Error())}
	case errors.Is(err, context.Canceled):
		return &snapshot.SourceError{Code: "Canceled", Message: oneLine(err.Error())}
	}
	return &snapshot.SourceError{Code: "RequestFailed", Message: oneLine(err.Error())}
}

// credentialCodes are the errors with which AWS rejects the credentials
// themselves rather than one request.
var credentialCodes = map[string]bool{
	"InvalidClientTokenId":        true,
	"SignatureDoesNotMatch":       true,
	"ExpiredToken":                true,
	"ExpiredTokenException":       true,
	"InvalidAccessKeyId":          true,
	"UnrecognizedClientException": true,
	"MissingAuthenticationToken":  true,
	"AuthFailure":                 true,
	"InvalidToken":                true,
	"TokenRefreshRequired":        true,
}

func isCredentialError(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && credentialCodes[ae.ErrorCode()]
}

func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	s = strings.ReplaceAll(s, "\r\n", "; ")
	s = strings.ReplaceAll(s, "\n", "; ")
	return s
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func utc(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// paginate drives a Marker/IsTruncated listing. page fetches one page for
// marker (nil on the first call) and returns the next marker and whether
// the listing is truncated. A truncated page without a marker, or a marker
// that repeats, stops the listing with an error rather than silently
// dropping the rest.
func paginate(ctx context.Context, op string, page func(ctx context.Context, marker *string) (next *string, truncated bool, err error)) error {
	var marker *string
	seen := map[string]bool{}
	for n := 1; ; n++ {
		next, truncated, err := page(ctx, marker)
		if err != nil {
			return err
		}
		if !truncated {
			return nil
		}
		if next == nil || *next == "" {
			return newSourceError("TruncatedPage", "%s page %d: IsTruncated is true but no Marker was returned; the rest of the listing cannot be fetched", op, n)
		}
		if seen[*next] {
			return newSourceError("RepeatedMarker", "%s page %d: Marker repeats an earlier page's; stopping to avoid a loop", op, n)
		}
		seen[*next] = true
		marker = next
	}
}
