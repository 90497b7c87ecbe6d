// Package connect connects one profile's Pipedrive and QuickBooks accounts (browser sign-in or API token),
// keeps their tokens in the secrets store, builds the API clients, and runs the demo workspace.
package connect

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"dealbooks/app/invoicing"
	"dealbooks/app/secrets"
	"dealbooks/integrations/oauth"
)

// Settings keep what is known of the connected accounts: names and ids, never a secret. app/store
// implements it.
type Settings interface {
	Setting(ctx context.Context, key string) (value string, ok bool, err error)
	SetSetting(ctx context.Context, key, value string) error
	DeleteSetting(ctx context.Context, key string) error
}

// Setting keys. The window's status bar reads the account names.
const (
	KeyPipedriveAccount  = "pipedrive.account"
	KeyPipedriveCompany  = "pipedrive.company_id"
	KeyPipedriveUser     = "pipedrive.user"
	KeyPipedriveAuth     = "pipedrive.auth" // authOAuth or authToken
	KeyQuickBooksCompany = "quickbooks.company"
	KeyQuickBooksRealm   = "quickbooks.realm"
	KeyQuickBooksSandbox = "quickbooks.sandbox"
)

var settingKeys = map[invoicing.Provider][]string{
	invoicing.Pipedrive:  {KeyPipedriveAccount, KeyPipedriveCompany, KeyPipedriveUser, KeyPipedriveAuth},
	invoicing.QuickBooks: {KeyQuickBooksCompany, KeyQuickBooksRealm, KeyQuickBooksSandbox},
}

const (
	authOAuth = "oauth"
	authToken = "token"
)

// Secret keys.
const (
	secretPipedriveToken    = "pipedrive.token"
	secretPipedriveAPIToken = "pipedrive.api_token"
	secretQuickBooksToken   = "quickbooks.token"
)

var tokenKeys = map[invoicing.Provider]string{
	invoicing.Pipedrive:  secretPipedriveToken,
	invoicing.QuickBooks: secretQuickBooksToken,
}

// ErrNotConnected: the account is not connected, so no client can be built for it.
var ErrNotConnected = errors.New("connect: the account is not connected")

// Options make up a Profile.
type Options struct {
	Secrets   secrets.Store
	Settings  Settings
	Endpoints Endpoints
	// BuiltIn are the developer apps' clients set at build time or in the environment; a client saved
	// in Settings (SaveClient) takes precedence.
	BuiltIn map[invoicing.Provider]secrets.Client
	// OpenURL opens the system browser.
	OpenURL func(url string) error
	// BrowserTimeout bounds the wait for the browser; 0 means oauth.DefaultTimeout.
	BrowserTimeout time.Duration
	// HTTPClient makes every request to both services; nil means http.DefaultClient.
	HTTPClient *http.Client
	Log        *slog.Logger
	// ForgetHistory deletes the offline copies (caches, links, preferences) of an account pair, when
	// the user disconnects and chooses not to keep them. Nil means there is nothing to delete.
	ForgetHistory func(ctx context.Context, pair invoicing.AccountPair) error
	// LaunchDemo opens the demo workspace in a process of its own; nil means the demo cannot be opened
	// from here.
	LaunchDemo func() error
	// Demo marks the demo workspace.
	Demo bool
}

// Profile is one profile's pair of accounts. It implements invoicing.Accounts and builds the API
// clients for the connected accounts. Its methods are safe for concurrent use.
type Profile struct {
	ctx  context.Context // the app's lifetime, for token refreshes
	opts Options

	mu     sync.Mutex
	tokens map[invoicing.Provider]*oauth.TokenSource // built for the client known when first needed
}

var _ invoicing.Accounts = (*Profile)(nil)

// New returns the profile. ctx is the app's lifetime: token refreshes that no call's context covers
// run under it.
func New(ctx context.Context, opts Options) *Profile {
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	return &Profile{ctx: ctx, opts: opts, tokens: map[invoicing.Provider]*oauth.TokenSource{}}
}

// State reads which accounts are connected from the settings, and whether developer apps are known.
func (p *Profile) State(ctx context.Context) (invoicing.AccountsState, error) {
	s := invoicing.AccountsState{
		Demo:          p.opts.Demo,
		HasClient:     map[invoicing.Provider]bool{},
		SecretsInFile: p.opts.Secrets.Kind() == secrets.File,
	}
	values := map[string]string{}
	for _, keys := range settingKeys {
		for _, key := range keys {
			v, _, err := p.opts.Settings.Setting(ctx, key)
			if err != nil {
				return invoicing.AccountsState{}, fmt.Errorf("connect: read %s: %w", key, err)
			}
			values[key] = v
		}
	}
	s.Pipedrive = invoicing.Connection{
		Provider:  invoicing.Pipedrive,
		Connected: values[KeyPipedriveAccount] != "",
		Account:   values[KeyPipedriveAccount],
		AccountID: values[KeyPipedriveCompany],
		User:      values[KeyPipedriveUser],
		APIToken:  values[KeyPipedriveAuth] == authToken,
	}
	s.QuickBooks = invoicing.Connection{
		Provider:  invoicing.QuickBooks,
		Connected: values[KeyQuickBooksCompany] != "",
		Account:   values[KeyQuickBooksCompany],
		AccountID: values[KeyQuickBooksRealm],
		Sandbox:   values[KeyQuickBooksSandbox] == "true",
	}
	for _, provider := range []invoicing.Provider{invoicing.Pipedrive, invoicing.QuickBooks} {
		c, err := secrets.LoadClient(ctx, p.opts.Secrets, string(provider), p.opts.BuiltIn[provider])
		if err != nil {
			return invoicing.AccountsState{}, fmt.Errorf("connect: read the %s developer app: %w", provider.Name(), err)
		}
		s.HasClient[provider] = c.ID != ""
	}
	return s, nil
}

// SaveClient keeps the client id and secret of the user's developer app at provider; an empty id
// forgets it, so the built-in one applies again. Accounts already connected keep their tokens, which
// only the client that issued them can refresh.
func (p *Profile) SaveClient(ctx context.Context, provider invoicing.Provider, id, secret string) error {
	var err error
	if id == "" {
		err = secrets.DeleteClient(ctx, p.opts.Secrets, string(provider))
	} else {
		err = secrets.SaveClient(ctx, p.opts.Secrets, string(provider), secrets.Client{ID: id, Secret: secret})
	}
	if err != nil {
		return fmt.Errorf("connect: save the %s developer app: %w", provider.Name(), err)
	}
	p.mu.Lock()
	delete(p.tokens, provider)
	p.mu.Unlock()
	return nil
}

// TryDemo opens the demo workspace in a process of its own.
func (p *Profile) TryDemo(context.Context) error {
	if p.opts.LaunchDemo == nil {
		return errors.New("connect: the demo cannot be opened from here")
	}
	return p.opts.LaunchDemo()
}

// oauthConfig is the developer app at provider, without a redirect URI.
func (p *Profile) oauthConfig(ctx context.Context, provider invoicing.Provider) (oauth.Config, error) {
	c, err := secrets.LoadClient(ctx, p.opts.Secrets, string(provider), p.opts.BuiltIn[provider])
	if err != nil {
		return oauth.Config{}, fmt.Errorf("connect: read the %s developer app: %w", provider.Name(), err)
	}
	if c.ID == "" {
		return oauth.Config{}, &invoicing.ConnectError{Provider: provider, Reason: invoicing.NoClient,
			Err: errors.New("no developer app client id is known")}
	}
	endpoint := oauth.Pipedrive(p.opts.Endpoints.PipedriveOAuth)
	if provider == invoicing.QuickBooks {
		endpoint = oauth.QuickBooks(p.opts.Endpoints.QuickBooksOAuth)
	}
	return oauth.Config{Endpoint: endpoint, ClientID: c.ID, ClientSecret: c.Secret, HTTPClient: p.opts.HTTPClient}, nil
}

// tokenSource returns provider's token source, building it on first use.
func (p *Profile) tokenSource(ctx context.Context, provider invoicing.Provider) (*oauth.TokenSource, error) {
	p.mu.Lock()
	ts, ok := p.tokens[provider]
	p.mu.Unlock()
	if ok {
		return ts, nil
	}
	cfg, err := p.oauthConfig(ctx, provider)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if ts, ok := p.tokens[provider]; ok {
		return ts, nil
	}
	ts = oauth.NewTokenSource(p.ctx, cfg, p.opts.Secrets, tokenKeys[provider])
	p.tokens[provider] = ts
	return ts, nil
}

// signInConfig is the developer app at provider with the redirect URI to sign in with.
func (p *Profile) signInConfig(ctx context.Context, provider invoicing.Provider) (oauth.Config, error) {
	cfg, err := p.oauthConfig(ctx, provider)
	if err != nil {
		return oauth.Config{}, p.failed(provider, err)
	}
	cfg.RedirectURL = p.opts.Endpoints.PipedriveRedirect
	if provider == invoicing.QuickBooks {
		cfg.RedirectURL = p.opts.Endpoints.QuickBooksRedirect
	}
	if cfg.RedirectURL == "" {
		if cfg.RedirectURL, err = freeLoopback(); err != nil {
			return oauth.Config{}, p.failed(provider, err)
		}
	}
	return cfg, nil
}

// openURL opens the system browser, marking a failure as one.
func (p *Profile) openURL(u string) error {
	if err := p.opts.OpenURL(u); err != nil {
		return &browserError{err}
	}
	return nil
}

// signIn runs the browser sign-in for provider and saves the token it brings back.
func (p *Profile) signIn(ctx context.Context, provider invoicing.Provider) (*oauth.TokenSource, string, error) {
	cfg, err := p.signInConfig(ctx, provider)
	if err != nil {
		return nil, "", err
	}
	flow := &oauth.Flow{Config: cfg, Port: p.opts.Endpoints.RelayPort, OpenURL: p.openURL, Timeout: p.opts.BrowserTimeout}
	tok, err := flow.Connect(ctx)
	if err != nil {
		return nil, "", p.failed(provider, err)
	}
	return p.keep(ctx, provider, cfg, tok)
}

// PasteSignIn opens provider's sign-in page for the paste mode; finish checks the address the browser
// ended on, pasted by the user, and connects the account.
func (p *Profile) PasteSignIn(ctx context.Context, provider invoicing.Provider, sandbox bool) (func(context.Context, string) (invoicing.Connection, error), error) {
	cfg, err := p.signInConfig(ctx, provider)
	if err != nil {
		return nil, err
	}
	session := cfg.Begin()
	if err := p.openURL(session.AuthURL()); err != nil {
		return nil, p.failed(provider, err)
	}
	return func(ctx context.Context, pasted string) (invoicing.Connection, error) {
		tok, err := session.Finish(ctx, pasted)
		if err != nil {
			return invoicing.Connection{}, p.failed(provider, err)
		}
		ts, extra, err := p.keep(ctx, provider, cfg, tok)
		if err != nil {
			return invoicing.Connection{}, err
		}
		if provider == invoicing.QuickBooks {
			return p.connectedQuickBooks(ctx, ts, extra, sandbox)
		}
		return p.connectedPipedrive(ctx, ts, extra)
	}, nil
}

// keep saves a new sign-in's token and returns its token source and the extra that names the account's
// host or company: Pipedrive's api_domain, QuickBooks' realmId.
func (p *Profile) keep(ctx context.Context, provider invoicing.Provider, cfg oauth.Config, tok *oauth2.Token) (*oauth.TokenSource, string, error) {
	cfg.RedirectURL = ""
	ts := oauth.NewTokenSource(p.ctx, cfg, p.opts.Secrets, tokenKeys[provider])
	if err := ts.Save(ctx, tok); err != nil {
		return nil, "", p.failed(provider, err)
	}
	p.mu.Lock()
	p.tokens[provider] = ts
	p.mu.Unlock()
	extra := "api_domain"
	if provider == invoicing.QuickBooks {
		extra = "realmId"
	}
	value, _ := tok.Extra(extra).(string)
	return ts, value, nil
}

// abandon revokes and forgets a sign-in whose account could not be read, so no token is kept for an
// account the profile does not record. err is why; it is returned as a *invoicing.ConnectError.
func (p *Profile) abandon(ctx context.Context, provider invoicing.Provider, ts *oauth.TokenSource, err error) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	if derr := ts.Disconnect(ctx); derr != nil {
		p.opts.Log.Warn("abandon sign-in", "provider", provider, "err", derr)
	}
	return p.failed(provider, err)
}

// browserError is a failure to open the system browser.
type browserError struct{ err error }

func (e *browserError) Error() string { return "open the browser: " + e.err.Error() }
func (e *browserError) Unwrap() error { return e.err }

// freeLoopback returns a loopback redirect URI on a port that is free now. Only servers that accept
// any redirect URI, such as the fakes, take it.
func freeLoopback() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("connect: find a free port for the browser's answer: %w", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if err := ln.Close(); err != nil {
		return "", fmt.Errorf("connect: find a free port for the browser's answer: %w", err)
	}
	return "http://127.0.0.1:" + strconv.Itoa(port) + "/callback", nil
}

// record saves the connection's names and ids in the settings.
func (p *Profile) record(ctx context.Context, provider invoicing.Provider, values map[string]string) error {
	for _, key := range settingKeys[provider] {
		if err := p.opts.Settings.SetSetting(ctx, key, values[key]); err != nil {
			return fmt.Errorf("connect: record the %s account: %w", provider.Name(), err)
		}
	}
	return nil
}

// forget removes the connection's names and ids from the settings.
func (p *Profile) forget(ctx context.Context, provider invoicing.Provider) error {
	for _, key := range settingKeys[provider] {
		if err := p.opts.Settings.DeleteSetting(ctx, key); err != nil {
			return fmt.Errorf("connect: forget the %s account: %w", provider.Name(), err)
		}
	}
	return nil
}

// Disconnect revokes provider's tokens, removes them and the account from this profile, and, unless
// keepHistory, deletes the offline copies of the account pair. A *invoicing.ConnectError with reason
// NotRevoked means everything here is gone but the provider could not be told.
func (p *Profile) Disconnect(ctx context.Context, provider invoicing.Provider, keepHistory bool) error {
	state, err := p.State(ctx)
	if err != nil {
		return err
	}
	pair, paired := state.Pair()

	revokeErr := p.revoke(ctx, provider)
	var ce *invoicing.ConnectError
	if revokeErr != nil && !errors.As(revokeErr, &ce) {
		return revokeErr
	}
	if provider == invoicing.Pipedrive {
		if err := p.opts.Secrets.Delete(ctx, secretPipedriveAPIToken); err != nil {
			return fmt.Errorf("connect: forget the Pipedrive API token: %w", err)
		}
	}
	if err := p.forget(ctx, provider); err != nil {
		return err
	}
	if !keepHistory && paired && p.opts.ForgetHistory != nil {
		if err := p.opts.ForgetHistory(ctx, pair); err != nil {
			return fmt.Errorf("connect: delete the offline history: %w", err)
		}
	}
	p.opts.Log.Info("disconnected", "provider", provider, "keep_history", keepHistory, "revoked", revokeErr == nil)
	return revokeErr
}

// revoke revokes and forgets provider's OAuth token. It returns a *invoicing.ConnectError with reason
// NotRevoked when the token is forgotten but the provider was not told, and any other error when the
// token could not be forgotten.
func (p *Profile) revoke(ctx context.Context, provider invoicing.Provider) error {
	ts, err := p.tokenSource(ctx, provider)
	if err != nil {
		// No developer app to revoke with: forget the token all the same.
		_, getErr := p.opts.Secrets.Get(ctx, tokenKeys[provider])
		if err := p.opts.Secrets.Delete(ctx, tokenKeys[provider]); err != nil {
			return fmt.Errorf("connect: forget the %s sign-in: %w", provider.Name(), err)
		}
		if errors.Is(getErr, fs.ErrNotExist) {
			return nil // there was no sign-in to revoke
		}
		return &invoicing.ConnectError{Provider: provider, Reason: invoicing.NotRevoked, Err: err}
	}
	err = ts.Disconnect(ctx)
	if err == nil {
		return nil
	}
	if _, getErr := p.opts.Secrets.Get(ctx, tokenKeys[provider]); errors.Is(getErr, fs.ErrNotExist) {
		p.opts.Log.Warn("token forgotten but not revoked", "provider", provider, "err", err)
		return &invoicing.ConnectError{Provider: provider, Reason: invoicing.NotRevoked, Err: err}
	}
	return fmt.Errorf("connect: disconnect %s: %w", provider.Name(), err)
}

// failed turns err into a *invoicing.ConnectError whose Reason the UI explains, and logs it.
func (p *Profile) failed(provider invoicing.Provider, err error) error {
	var ce *invoicing.ConnectError
	if errors.As(err, &ce) {
		p.opts.Log.Warn("connect failed", "provider", provider, "err", err)
		return err
	}
	ce = &invoicing.ConnectError{Provider: provider, Reason: reasonOf(err), Err: err}
	p.opts.Log.Warn("connect failed", "provider", provider, "reason", int(ce.Reason), "err", err)
	return ce
}

func reasonOf(err error) invoicing.ConnectReason {
	var pe *oauth.ProviderError
	var ue *url.Error
	var ne *net.OpError
	var be *browserError
	switch {
	case errors.As(err, &be):
		return invoicing.NoBrowser
	case errors.Is(err, oauth.ErrDenied):
		return invoicing.Denied
	case errors.Is(err, oauth.ErrStateMismatch):
		return invoicing.WrongAttempt
	case errors.Is(err, oauth.ErrTimeout):
		return invoicing.TimedOut
	case errors.Is(err, oauth.ErrBadPaste):
		return invoicing.BadPaste
	case errors.Is(err, context.Canceled):
		return invoicing.Cancelled
	case errors.Is(err, context.DeadlineExceeded):
		return invoicing.TimedOut
	case errors.As(err, &pe) && (pe.Code == "invalid_client" || pe.Code == "unauthorized_client"):
		return invoicing.BadToken
	case errors.As(err, &ne), errors.As(err, &ue):
		return invoicing.Unreachable
	}
	return invoicing.ConnectFailed
}
