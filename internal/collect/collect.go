// Package collect reads an AWS account through read-only IAM and STS calls
// and records what it got, source by source, in a snapshot. It is the only
// package that imports the AWS SDK.
package collect

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	"github.com/aws/aws-sdk-go-v2/service/account"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/logging"
	"github.com/aws/smithy-go/middleware"

	"github.com/lockdown-dev/lockdown/internal/redact"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// DefaultRegion is used when neither the options nor the AWS configuration
// name a region. IAM is a global service served from us-east-1 in the aws
// partition.
const DefaultRegion = "us-east-1"

// Default timeouts.
//
// DefaultRequestTimeout: IAM answers its largest pages (1000 entities of
// GetAccountAuthorizationDetails, a few MB) in seconds; 30s leaves room for
// a slow link while a dead connection or a stalled body is given up on,
// and retried, within half a minute.
//
// DefaultTimeout: a large account (5000 users) needs a few dozen requests,
// the credential report may take up to CredentialReportTimeout (2m), and
// throttled requests back off up to 20s a retry; 10 minutes covers that
// with room to spare, while a CI job never waits on a dead endpoint for
// longer.
const (
	DefaultRequestTimeout = 30 * time.Second
	DefaultTimeout        = 10 * time.Minute
)

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

	// RequestTimeout bounds each attempt of each request, from sending it
	// to reading the last byte of the answer (default
	// DefaultRequestTimeout). An attempt that runs out is retried like a
	// dropped connection, within MaxAttempts; the last one's failure is
	// recorded as code RequestTimeout.
	RequestTimeout time.Duration
	// Timeout bounds the whole collection: loading the configuration,
	// resolving credentials (MFA prompt included) and every source
	// (default DefaultTimeout). Sources still running when it runs out are
	// recorded with status error, code Timeout, keeping what they got;
	// Collect then returns the snapshot without an error. Before that it
	// returns a *CredentialsError (credentials still being resolved) or
	// an *IdentityError (caller identity still being asked for).
	Timeout time.Duration

	// Stdin and Stderr are used for the MFA prompt. nil: the terminal
	// (/dev/tty) when there is one, else os.Stdin; os.Stderr. What collect
	// writes to Stderr passes through redact.String.
	Stdin  io.Reader
	Stderr io.Writer

	// Getenv reads the environment variables collect itself consults
	// (default os.Getenv): AWS_PROFILE, AWS_ACCESS_KEY_ID, AWS_CONFIG_FILE,
	// AWS_SHARED_CREDENTIALS_FILE, HOME, AWS_ENDPOINT_URL,
	// AWS_ENDPOINT_URL_STS and AWS_IGNORE_CONFIGURED_ENDPOINT_URLS. The
	// SDK reads everything else (AWS_PROFILE and the credentials in the
	// environment included) from the process environment, so Getenv must
	// describe that environment; Collect hands the SDK the config and
	// credentials file paths resolved through Getenv, so the files the SDK
	// authenticates with are the files source aws_config records.
	Getenv func(string) string

	// AWSConfigDir names the directory whose config and credentials files
	// source aws_config reads (Snapshot.AWSConfig.Explicit is then true).
	// It must exist: otherwise Collect returns an *AWSConfigDirError
	// before any request. "" reads the files the SDK reads:
	// AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, else
	// $HOME/.aws/config and $HOME/.aws/credentials.
	AWSConfigDir string
	// SkipAWSConfig leaves source aws_config out of the snapshot.
	SkipAWSConfig bool

	// Now is the clock for CollectedAt (default time.Now).
	Now func() time.Time

	// OrgView, when set, is the audited account's organization as the
	// organisation runner read it once from the management account: source
	// organization then records it (or its error) without a request.
	OrgView *OrgView

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
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = DefaultRequestTimeout
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	return o
}

// CredentialsError means the AWS configuration or credentials could not be
// loaded or were rejected. The CLI maps it to exit code 3; Error() is one
// line.
type CredentialsError struct {
	Profile    string // Options.Profile
	EnvProfile string // AWS_PROFILE, when Profile is ""
	Err        error
}

// Error is one line, redacted.
func (e *CredentialsError) Error() string {
	who := "default credential chain"
	if p := e.Profile; p != "" {
		who = fmt.Sprintf("profile %q", p)
	} else if p := e.EnvProfile; p != "" {
		who = fmt.Sprintf("profile %q from AWS_PROFILE", p)
	}
	return redact.String(fmt.Sprintf("cannot use AWS credentials (%s): %s", who, oneLine(e.Err.Error())))
}

func (e *CredentialsError) Unwrap() error { return e.Err }

// IdentityError means sts:GetCallerIdentity gave no usable caller
// identity: the endpoint did not answer, failed past its retries, denied
// the call, or answered with an account ID that is not 12 digits or an
// ARN that is not one. Nothing is collected without an identity. Error()
// is one line, redacted.
type IdentityError struct {
	Code    string // e.g. RequestFailed, ServiceFailure, AccessDenied, MalformedAccountID
	Message string
	Err     error
}

func (e *IdentityError) Error() string {
	return redact.String(fmt.Sprintf("no caller identity, so nothing was collected: sts:GetCallerIdentity %s: %s", e.Code, e.Message))
}

func (e *IdentityError) Unwrap() error { return e.Err }

// AWSConfigDirError means Options.AWSConfigDir does not exist or is not a
// directory. Collect returns it before any request; the CLI treats it as a
// usage error.
type AWSConfigDirError struct {
	Dir string
	Err error
}

func (e *AWSConfigDirError) Error() string {
	if errors.Is(e.Err, fs.ErrNotExist) {
		return redact.String(fmt.Sprintf("AWS configuration directory %s does not exist", e.Dir))
	}
	return redact.String(fmt.Sprintf("AWS configuration directory %s: %s", e.Dir, oneLine(e.Err.Error())))
}

func (e *AWSConfigDirError) Unwrap() error { return e.Err }

// InvalidSnapshotError means the snapshot built from what AWS returned
// breaks the snapshot schema (audit --snapshot would reject it), so it is
// not returned. Err is the *snapshot.ValidationError naming the place.
type InvalidSnapshotError struct {
	Err error
}

func (e *InvalidSnapshotError) Error() string {
	return redact.String("the collected data does not make a valid snapshot: " + oneLine(e.Err.Error()))
}

func (e *InvalidSnapshotError) Unwrap() error { return e.Err }

// Collect loads the AWS configuration (the SDK default chain: environment,
// shared config and credentials files, SSO, AWS_ENDPOINT_URL*), checks the
// credentials and the caller identity, then collects every source.
//
// Sources that fail are recorded in Snapshot.Sources with status error,
// their error (code, redacted message and the failed API action) and what
// they got; they do not make Collect fail (Snapshot.FailedSources lists
// them). Collect returns an error, and no snapshot, when it cannot start
// or has no caller identity:
//
//   - *AWSConfigDirError: Options.AWSConfigDir does not exist;
//   - *CredentialsError: the configuration or credentials cannot be loaded,
//     or AWS rejected the credentials;
//   - *IdentityError: sts:GetCallerIdentity failed otherwise, or returned
//     an account ID that is not 12 digits;
//   - *InvalidSnapshotError: the snapshot does not validate against the
//     snapshot schema (it names the place).
//
// When ctx itself is cancelled or expires after the identity is known,
// Collect returns what was collected together with ctx's error. Every
// error it returns, and every source error message, has been through
// redact.
func Collect(ctx context.Context, opts Options) (*snapshot.Snapshot, error) {
	opts = opts.withDefaults()
	snap, err := collect(ctx, opts)
	return snap, redact.Error(err)
}

func collect(parent context.Context, opts Options) (*snapshot.Snapshot, error) {
	if dir := opts.AWSConfigDir; dir != "" && !opts.SkipAWSConfig {
		st, err := os.Stat(dir)
		if err == nil && !st.IsDir() {
			err = errors.New("not a directory")
		}
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				err = fs.ErrNotExist
			}
			return nil, &AWSConfigDirError{Dir: dir, Err: err}
		}
	}
	ctx, cancel := context.WithTimeout(parent, opts.Timeout)
	defer cancel()
	cfg, keyID, err := loadConfig(ctx, opts)
	if err != nil {
		if parent.Err() != nil {
			return nil, fmt.Errorf("stopped while loading the AWS configuration and credentials: %w", parent.Err())
		}
		if ctx.Err() != nil {
			return nil, &CredentialsError{Profile: opts.Profile, EnvProfile: opts.Getenv("AWS_PROFILE"),
				Err: fmt.Errorf("resolving credentials did not finish within the collection timeout (%s): %w", opts.Timeout, ctx.Err())}
		}
		return nil, err
	}
	return collectWith(ctx, parent, cfg, opts, keyID)
}

// configFiles returns the config and credentials files the SDK reads, as
// Getenv describes the environment.
func configFiles(getenv func(string) string) (configPath, credentialsPath string) {
	home := getenv("HOME")
	if home == "" {
		home = getenv("USERPROFILE")
	}
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	configPath = getenv("AWS_CONFIG_FILE")
	if configPath == "" {
		configPath = filepath.Join(home, ".aws", "config")
	}
	credentialsPath = getenv("AWS_SHARED_CREDENTIALS_FILE")
	if credentialsPath == "" {
		credentialsPath = filepath.Join(home, ".aws", "credentials")
	}
	return configPath, credentialsPath
}

// profileInUse is the shared config profile the SDK uses.
func profileInUse(opts Options) string {
	if opts.Profile != "" {
		return opts.Profile
	}
	if p := opts.Getenv("AWS_PROFILE"); p != "" {
		return p
	}
	return "default"
}

// loadConfig loads the SDK configuration and resolves the credentials. It
// returns the access key ID the requests will be signed with.
func loadConfig(ctx context.Context, opts Options) (aws.Config, string, error) {
	getenv := opts.Getenv
	cfgFile, credFile := configFiles(getenv)
	lo := []func(*config.LoadOptions) error{
		config.WithDefaultRegion(DefaultRegion),
		config.WithSharedConfigFiles([]string{cfgFile}),
		config.WithSharedCredentialsFiles([]string{credFile}),
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
		// Every client built from the configuration (lockdown's, and the
		// SDK's own STS, SSO and SSO OIDC clients) bounds each attempt.
		config.WithAPIOptions([]func(*middleware.Stack) error{attemptTimeout(opts.RequestTimeout)}),
		// The SDK's own warnings go to Stderr, redacted.
		config.WithLogger(sdkLogger{w: opts.Stderr}),
		config.WithAssumeRoleCredentialOptions(func(o *stscreds.AssumeRoleOptions) {
			if o.SerialNumber != nil && o.TokenProvider == nil {
				o.TokenProvider = mfaTokenProvider(ctx, *o.SerialNumber, opts)
			}
			// The SDK builds its assume-role STS client before it applies
			// AWS_ENDPOINT_URL (AWS_ENDPOINT_URL_STS does reach it), so a
			// profile pointed at an emulator would assume the role at the
			// real STS endpoint. Give that client the endpoint too.
			ignore := strings.EqualFold(getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true")
			if ep := getenv("AWS_ENDPOINT_URL"); ep != "" && !ignore {
				if getenv("AWS_ENDPOINT_URL_STS") == "" {
					if c, isSTS := o.Client.(*sts.Client); isSTS && c.Options().BaseEndpoint == nil {
						o.Client = sts.New(c.Options(), func(so *sts.Options) { so.BaseEndpoint = aws.String(ep) })
					}
				}
			}
		}),
	}
	// AWS_PROFILE is left to the SDK: given as an option it would take
	// precedence over AWS_ACCESS_KEY_ID, which the SDK (like the AWS CLI)
	// only lets an explicit --profile do.
	if p := opts.Profile; p != "" {
		lo = append(lo, config.WithSharedConfigProfile(p))
	}
	if opts.Region != "" {
		lo = append(lo, config.WithRegion(opts.Region))
	}
	if opts.HTTPClient != nil {
		lo = append(lo, config.WithHTTPClient(opts.HTTPClient))
	}
	credErr := func(err error) error {
		return &CredentialsError{Profile: opts.Profile, EnvProfile: getenv("AWS_PROFILE"), Err: err}
	}
	cfg, err := config.LoadDefaultConfig(ctx, lo...)
	if err != nil {
		return aws.Config{}, "", credErr(err)
	}
	if cfg.Credentials == nil {
		return aws.Config{}, "", credErr(errors.New("no credentials found"))
	}
	// Resolve now (and prompt for MFA now) so a credential problem stops
	// the run with one clear error instead of failing every source.
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return aws.Config{}, "", ctx.Err()
		}
		return aws.Config{}, "", credErr(err)
	}
	return cfg, creds.AccessKeyID, nil
}

// sdkLogger writes the SDK's log lines (warnings such as a retried
// checksum or an unread body) to w, or os.Stderr, through redact.
type sdkLogger struct{ w io.Writer }

func (l sdkLogger) Logf(class logging.Classification, format string, v ...any) {
	w := l.w
	if w == nil {
		w = os.Stderr
	}
	fmt.Fprintln(w, redact.String(oneLine(fmt.Sprintf("lockdown: AWS SDK %s: "+format, append([]any{class}, v...)...))))
}

// collector holds the clients and shared state of one collection.
type collector struct {
	opts   Options
	parent context.Context // the caller's context, without Options.Timeout
	// summary is the account summary when it was collected completely
	// (nil otherwise); set before the concurrent sources start.
	summary map[string]int64
	cfg     aws.Config
	iam     *iam.Client
	sts     *sts.Client
	account *account.Client
	orgs    *organizations.Client

	// regions are the enabled regions the regional sources read, set by
	// source regions before they start; regionsErr is that source's error
	// (regions may then be incomplete or empty).
	regions    []string
	regionsErr error

	clientsMu sync.Mutex // guards the per-region clients
	ec2s      map[string]*ec2.Client
	analyzers map[string]*accessanalyzer.Client
	lambdas   map[string]*lambda.Client

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
		cfg:  cfg,
		// The Account Management API is global: the SDK sends it to the
		// partition's endpoint whatever the region.
		account: account.NewFromConfig(cfg, func(o *account.Options) {
			o.APIOptions = append(o.APIOptions, ReadOnlyGuard(ServiceAccount), countRequests)
		}),
		orgs: organizations.NewFromConfig(cfg, func(o *organizations.Options) {
			o.APIOptions = append(o.APIOptions, ReadOnlyGuard(ServiceOrganizations), countRequests)
		}),
		ec2s:      map[string]*ec2.Client{},
		analyzers: map[string]*accessanalyzer.Client{},
		lambdas:   map[string]*lambda.Client{},
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

func collectWith(ctx, parent context.Context, cfg aws.Config, opts Options, keyID string) (*snapshot.Snapshot, error) {
	c := newCollector(cfg, opts)
	c.parent = parent
	c.snap = &snapshot.Snapshot{
		Schema:      snapshot.SchemaV1,
		Generator:   snapshot.Generator{Name: "lockdown", Version: opts.ToolVersion},
		CollectedAt: opts.Now().UTC().Truncate(time.Second),
		Sources:     map[string]snapshot.SourceStatus{},
	}

	if !opts.SkipAWSConfig {
		c.runSource(ctx, snapshot.SourceAWSConfig, c.awsConfig)
	}

	// The caller identity goes first: it is cheap and tells whether AWS
	// accepts the credentials at all. Without it nothing is collected.
	if idErr := c.runSource(ctx, snapshot.SourceCallerIdentity, c.callerIdentity); idErr != nil {
		if isCredentialError(idErr) {
			return nil, &CredentialsError{Profile: opts.Profile, EnvProfile: opts.Getenv("AWS_PROFILE"), Err: idErr}
		}
		se := c.snap.Sources[snapshot.SourceCallerIdentity].Error
		return nil, &IdentityError{Code: se.Code, Message: se.Message, Err: idErr}
	}
	markKeyOwner(c.snap, profileInUse(opts), opts.Getenv("AWS_ACCESS_KEY_ID"), keyID)

	// The account summary next: its counts bound the paginated listings.
	// The sources below run concurrently and only read c.summary.
	if c.runSource(ctx, snapshot.SourceAccountSummary, c.accountSummary) == nil {
		c.summary = c.snap.AccountSummary
	}

	sources := []struct {
		name string
		fn   func(context.Context, *run) error
	}{
		{snapshot.SourceCredentialReport, c.credentialReport},
		{snapshot.SourcePasswordPolicy, c.passwordPolicy},
		{snapshot.SourceAccountAliases, c.accountAliases},
		{snapshot.SourceVirtualMFADevices, c.virtualMFADevices},
		{snapshot.SourceAuthorizationDetails, c.authorizationDetails},
		{snapshot.SourceServerCertificates, c.serverCertificates},
		{snapshot.SourceSecurityContact, c.securityContact},
		{snapshot.SourceOrganizationsFeatures, c.organizationsFeatures},
		{snapshot.SourceOrganization, c.organization},
	}
	var wg sync.WaitGroup
	for _, s := range sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.runSource(ctx, s.name, s.fn)
		}()
	}
	// The regional sources need the enabled regions first; they then run
	// side by side, each over the regions with a bounded pool of workers.
	wg.Add(1)
	go func() {
		defer wg.Done()
		c.regionsErr = c.runSource(ctx, snapshot.SourceRegions, c.enabledRegions)
		var rwg sync.WaitGroup
		for _, s := range []struct {
			name string
			fn   func(context.Context, *run) error
		}{
			{snapshot.SourceAccessAnalyzers, c.accessAnalyzers},
			{snapshot.SourceEC2Instances, c.ec2Instances},
			{snapshot.SourceLambdaFunctions, c.lambdaFunctions},
		} {
			rwg.Add(1)
			go func() {
				defer rwg.Done()
				c.runSource(ctx, s.name, s.fn)
			}()
		}
		rwg.Wait()
	}()
	wg.Wait()
	if err := snapshot.Validate(c.snap); err != nil {
		return nil, &InvalidSnapshotError{Err: err}
	}
	return c.snap, parent.Err()
}

// runSource runs fn for one source and records its status. Each source
// writes only its own snapshot fields, so sources can run concurrently.
func (c *collector) runSource(ctx context.Context, name string, fn func(context.Context, *run) error) error {
	r := &run{c: c, name: name}
	err := fn(context.WithValue(ctx, runKey{}, r), r)
	st := snapshot.SourceStatus{Status: snapshot.StatusOK, Requests: int(r.requests.Load()), Note: redact.String(r.note)}
	if err != nil {
		st.Status = snapshot.StatusError
		st.Error = classify(err)
		if errors.Is(ctx.Err(), context.DeadlineExceeded) && c.parent != nil && c.parent.Err() == nil {
			// Lockdown's own overall timeout, not the caller's context.
			st.Error.Code = "Timeout"
			st.Error.Message = fmt.Sprintf("the collection timeout (%s) ran out: %s", c.opts.Timeout, st.Error.Message)
		}
		st.Partial = r.partial.Load()
	}
	c.mu.Lock()
	c.snap.Sources[name] = st
	c.mu.Unlock()
	return err
}

// awsConfig reads the local AWS CLI files (no request to AWS): those in
// Options.AWSConfigDir, else the ones the SDK reads.
func (c *collector) awsConfig(ctx context.Context, r *run) error {
	var cfg *snapshot.AWSConfig
	var err error
	if dir := c.opts.AWSConfigDir; dir != "" {
		cfg, err = ReadAWSConfig(dir)
		if cfg != nil {
			cfg.Explicit = true
		}
	} else {
		cfg, err = ReadAWSConfigFiles(configFiles(c.opts.Getenv))
	}
	c.snap.AWSConfig = cfg
	if err != nil {
		if cfg != nil && len(cfg.Profiles) > 0 {
			r.partial.Store(true)
		}
		return newSourceError("MalformedAWSConfig", "%v", err)
	}
	return nil
}

// markKeyOwner records whose access key a profile holds when this
// collection itself authenticated with that key: sts:GetCallerIdentity
// then names the key's owner. usedKeyID is the access key ID the requests
// were signed with (from the resolved credentials); when it is unknown,
// the key is the environment's AWS_ACCESS_KEY_ID, else the static key of
// the profile in use (Options.Profile, AWS_PROFILE, else "default") when
// that profile neither assumes a role nor uses SSO.
func markKeyOwner(snap *snapshot.Snapshot, profile, envKeyID, usedKeyID string) {
	if snap.AWSConfig == nil || snap.Caller == nil || snap.Caller.ARN == "" {
		return
	}
	for i := range snap.AWSConfig.Profiles {
		p := &snap.AWSConfig.Profiles[i]
		if p.AccessKeyID == "" {
			continue
		}
		switch {
		case usedKeyID != "":
			if p.AccessKeyID == usedKeyID {
				p.AccessKeyOwnerARN = snap.Caller.ARN
			}
		case envKeyID != "":
			if p.AccessKeyID == envKeyID {
				p.AccessKeyOwnerARN = snap.Caller.ARN
			}
		case p.Name == profile && p.RoleARN == "" && p.SSOStartURL == "":
			p.AccessKeyOwnerARN = snap.Caller.ARN
		}
	}
}

// sourceError is an error found by lockdown itself (not returned by AWS).
// action is the API action whose answer it is about ("" for local files).
type sourceError struct {
	code   string
	msg    string
	action string
}

func (e *sourceError) Error() string { return e.code + ": " + e.msg }

func newSourceError(code, format string, args ...any) error {
	return &sourceError{code: code, msg: fmt.Sprintf(format, args...)}
}

// newActionError is a sourceError about the answer to action.
func newActionError(action, code, format string, args ...any) error {
	return &sourceError{code: code, msg: fmt.Sprintf(format, args...), action: action}
}

// requestTimeoutError is a request attempt that got no complete answer
// within Options.RequestTimeout. Within the retries it is retryable (it
// does not unwrap to the cancellation error, which the SDK would not
// retry); once the retries are spent, a request of which an attempt timed
// out and that did not end with an answer from AWS fails with it, counting
// the attempts.
type requestTimeoutError struct {
	timeout            time.Duration
	attempts, timedOut int
}

func (e *requestTimeoutError) Error() string {
	if e.attempts == 0 {
		return fmt.Sprintf("no complete answer within the request timeout (%s)", e.timeout)
	}
	return fmt.Sprintf("no complete answer within the request timeout (%s): %d attempts, %d timed out", e.timeout, e.attempts, e.timedOut)
}

// RetryableError makes the SDK's retryer retry the attempt.
func (e *requestTimeoutError) RetryableError() bool { return true }

// Timeout marks it as a timeout for net.Error-style checks.
func (e *requestTimeoutError) Timeout() bool { return true }

// attempts counts the attempts of one request and those that timed out.
type attempts struct {
	n, timedOut atomic.Int32
}

type attemptsKey struct{}

// attemptTimeout bounds each attempt of a request: a Finalize middleware
// after the retry middleware (around signing, sending and reading the
// answer) gives each attempt its own deadline, and an Initialize
// middleware reports the request as timed out when an attempt did and
// the last one got no answer from AWS either.
func attemptTimeout(d time.Duration) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		perRequest := middleware.InitializeMiddlewareFunc("lockdown.RequestTimeout",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				rec := &attempts{}
				out, md, err := next.HandleInitialize(context.WithValue(ctx, attemptsKey{}, rec), in)
				var ae smithy.APIError
				if err != nil && rec.timedOut.Load() > 0 && ctx.Err() == nil && !errors.As(err, &ae) {
					err = &requestTimeoutError{timeout: d, attempts: int(rec.n.Load()), timedOut: int(rec.timedOut.Load())}
				}
				return out, md, err
			})
		perAttempt := middleware.FinalizeMiddlewareFunc("lockdown.AttemptTimeout",
			func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
				rec, _ := ctx.Value(attemptsKey{}).(*attempts)
				if rec != nil {
					rec.n.Add(1)
				}
				actx, cancel := context.WithTimeout(ctx, d)
				defer cancel()
				out, md, err := next.HandleFinalize(actx, in)
				if err != nil && ctx.Err() == nil && errors.Is(actx.Err(), context.DeadlineExceeded) {
					if rec != nil {
						rec.timedOut.Add(1)
					}
					return out, md, &requestTimeoutError{timeout: d}
				}
				return out, md, err
			})
		if err := stack.Initialize.Add(perRequest, middleware.After); err != nil {
			return err
		}
		if err := stack.Finalize.Insert(perAttempt, "Retry", middleware.After); err != nil {
			return stack.Finalize.Add(perAttempt, middleware.After)
		}
		return nil
	}
}

// classify turns an error into the code, one-line redacted message and
// API action recorded in the snapshot.
func classify(err error) *snapshot.SourceError {
	se := classifyRaw(err)
	se.Message = redact.String(oneLine(se.Message))
	if se.Action == "" {
		var oe *smithy.OperationError
		if errors.As(err, &oe) && oe.OperationName != "" {
			se.Action = actionPrefix(oe.ServiceID) + ":" + oe.OperationName
		}
	}
	return se
}

// actionPrefix is the IAM action prefix of an SDK service ID.
func actionPrefix(serviceID string) string {
	switch serviceID {
	case "AccessAnalyzer":
		return ServiceAccessAnalyzer
	case "Organizations":
		return ServiceOrganizations
	}
	return strings.ToLower(serviceID)
}

func classifyRaw(err error) *snapshot.SourceError {
	var se *sourceError
	if errors.As(err, &se) {
		return &snapshot.SourceError{Code: se.code, Message: se.msg, Action: se.action}
	}
	op := ""
	var oe *smithy.OperationError
	if errors.As(err, &oe) {
		op = oe.OperationName + ": "
	}
	var ro *ReadOnlyError
	if errors.As(err, &ro) {
		return &snapshot.SourceError{Code: "ReadOnlyGuard", Message: ro.Error(), Action: ro.Service + ":" + ro.Operation}
	}
	var rt *requestTimeoutError
	if errors.As(err, &rt) {
		return &snapshot.SourceError{Code: "RequestTimeout", Message: op + rt.Error()}
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		msg := ae.ErrorMessage()
		if msg == "" {
			msg = "(no message)"
		}
		return &snapshot.SourceError{Code: ae.ErrorCode(), Message: op + msg}
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return &snapshot.SourceError{Code: "Timeout", Message: err.Error()}
	case errors.Is(err, context.Canceled):
		return &snapshot.SourceError{Code: "Canceled", Message: err.Error()}
	}
	return &snapshot.SourceError{Code: "RequestFailed", Message: err.Error()}
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

// Paging bounds. A listing that never ends (a new Marker on every page)
// must stop, and the account summary says how much there is to list.
// IAM may return fewer items than MaxItems on a page, and entities may be
// created during the run, so the bounds leave room for both:
//
//	items: 2 × the summary's count + one full page
//	pages: items / 10 + 2 (pages may be short, but not 10 times too short on average)
//
// Without a summary (or a key for the stream) the count is
// noSummaryCount: larger than the IAM quotas for users (5000), roles
// and customer managed policies allow.
const (
	noSummaryCount  = 20000
	awsManagedCount = 5000 // AWS managed policies that exist, generously
	minPageFill     = 10
)

// pageBound limits one paginated stream.
type pageBound struct {
	maxItems, maxPages int
	basis              string // where the numbers came from, for the error
}

func newBound(count int64, basis string) pageBound {
	if count < 0 {
		count = 0
	}
	items := int(2*count) + authPageSize
	return pageBound{maxItems: items, maxPages: items/minPageFill + 2, basis: basis}
}

// bound is the bound for a stream whose size the summary gives under the
// keys (summed); fixed is used when none is known.
func (c *collector) bound(fixed int64, keys ...string) pageBound {
	if len(keys) == 0 {
		return newBound(fixed, fmt.Sprintf("a fixed bound of %d items", fixed))
	}
	if c.summary == nil {
		return newBound(noSummaryCount, fmt.Sprintf("no account summary, so a fixed bound of %d items", noSummaryCount))
	}
	var n int64
	var parts []string
	for _, k := range keys {
		v, ok := c.summary[k]
		if !ok {
			return newBound(noSummaryCount, fmt.Sprintf("no %s in the account summary, so a fixed bound of %d items", k, noSummaryCount))
		}
		n += v
		parts = append(parts, fmt.Sprintf("%s=%d", k, v))
	}
	return newBound(n, "the account summary ("+strings.Join(parts, ", ")+")")
}

// paginate drives a Marker/IsTruncated listing. page fetches one page for
// marker (nil on the first call) and returns the next marker, whether the
// listing is truncated and how many items the page held. A truncated page
// without a marker, a marker that repeats, or a listing longer than b
// stops with an error rather than silently dropping the rest or looping.
func paginate(ctx context.Context, op string, b pageBound, page func(ctx context.Context, marker *string) (next *string, truncated bool, items int, err error)) error {
	action := "iam:" + strings.SplitN(op, " ", 2)[0]
	var marker *string
	seen := map[string]bool{}
	total := 0
	for n := 1; ; n++ {
		next, truncated, items, err := page(ctx, marker)
		if err != nil {
			return err
		}
		total += items
		if !truncated {
			return nil
		}
		if next == nil || *next == "" {
			return newActionError(action, "TruncatedPage", "%s page %d: IsTruncated is true but no Marker was returned; the rest of the listing cannot be fetched", op, n)
		}
		if seen[*next] {
			return newActionError(action, "RepeatedMarker", "%s page %d: Marker repeats an earlier page's; stopping to avoid a loop", op, n)
		}
		if n >= b.maxPages || total >= b.maxItems {
			return newActionError(action, "PaginationLimit", "%s: still truncated after %d pages and %d items, more than %s allows (at most %d pages, %d items); stopping, the listing does not end", op, n, total, b.basis, b.maxPages, b.maxItems)
		}
		seen[*next] = true
		marker = next
	}
}
