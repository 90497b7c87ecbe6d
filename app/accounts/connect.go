// Package accounts connects the Pipedrive and QuickBooks accounts and opens their invoicing service.
package accounts

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

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

// Setting keys, read only here: the window learns the account names through State.
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
var ErrNotConnected = errors.New("accounts: the account is not connected")

// Options make up a Manager.
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
	// HTTPClient makes the requests to both services (QuickBooks' client takes only its Transport);
	// nil means the defaults.
	HTTPClient *http.Client
	Log        *slog.Logger
	// ForgetHistory deletes the offline copies (caches, links, preferences) of an account pair, when
	// the user disconnects and chooses not to keep them. Nil means there is nothing to delete. It may
	// refuse (store.DeleteRepository does while invoices are still queued): Disconnect then returns its
	// error, wrapped, with the account disconnected and the history kept.
	ForgetHistory func(ctx context.Context, pair invoicing.AccountPair) error
	// LaunchDemo opens the demo workspace in a process of its own; nil means the demo cannot be opened
	// from here.
	LaunchDemo func() error
	// Demo marks the demo workspace, for State.
	Demo bool
	// AfterServiceOpened, when set, runs each time Service has built the invoicing service of the
	// connected pair, with the pair's offline store; an error fails Service. The demo (app/demo) uses
	// it to show the invoices it seeded.
	AfterServiceOpened func(ctx context.Context, svc *invoicing.Service, repo invoicing.Repository) error

	// Repository opens the offline store of an account pair, for Service.
	Repository func(ctx context.Context, pair invoicing.AccountPair) (invoicing.Repository, error)
	// Files keeps downloaded PDFs, for Service.
	Files invoicing.FileCache
}

// Manager is the pair of accounts of one profile (the real one, or the demo's). It implements invoicing.Accounts and builds the API
// clients for the connected accounts. Its methods are safe for concurrent use.
type Manager struct {
	ctx  context.Context // the app's lifetime, for token refreshes
	opts Options

	mu     sync.Mutex
	tokens map[invoicing.Provider]*oauth.TokenSource // built for the client known when first needed
}

var _ invoicing.Accounts = (*Manager)(nil)

// New returns the profile. ctx is the app's lifetime: token refreshes that no call's context covers
// run under it.
func New(ctx context.Context, opts Options) *Manager {
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	return &Manager{ctx: ctx, opts: opts, tokens: map[invoicing.Provider]*oauth.TokenSource{}}
}

// State reads which accounts are connected from the settings, and whether developer apps are known.
func (p *Manager) State(ctx context.Context) (invoicing.AccountsState, error) {
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
				return invoicing.AccountsState{}, fmt.Errorf("accounts: read %s: %w", key, err)
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
	if k, ok, err := p.kept(ctx); err != nil {
		return invoicing.AccountsState{}, err
	} else if pair, paired := s.Pair(); ok && !(paired && pair == k.Pair) {
		s.Kept = &k // copies of the pair connected again are simply its own again
	}
	for _, provider := range []invoicing.Provider{invoicing.Pipedrive, invoicing.QuickBooks} {
		c, err := secrets.LoadClient(ctx, p.opts.Secrets, string(provider), p.opts.BuiltIn[provider])
		if err != nil {
			return invoicing.AccountsState{}, fmt.Errorf("accounts: read the %s developer app: %w", provider.Name(), err)
		}
		s.HasClient[provider] = c.ID != ""
	}
	return s, nil
}

// SaveClient keeps the client id and secret of the user's developer app at provider; an empty id
// forgets it, so the built-in one applies again. Accounts already connected keep their tokens, which
// only the client that issued them can refresh.
func (p *Manager) SaveClient(ctx context.Context, provider invoicing.Provider, id, secret string) error {
	var err error
	if id == "" {
		err = secrets.DeleteClient(ctx, p.opts.Secrets, string(provider))
	} else {
		err = secrets.SaveClient(ctx, p.opts.Secrets, string(provider), secrets.Client{ID: id, Secret: secret})
	}
	if err != nil {
		return fmt.Errorf("accounts: save the %s developer app: %w", provider.Name(), err)
	}
	p.mu.Lock()
	delete(p.tokens, provider)
	p.mu.Unlock()
	return nil
}

// TryDemo opens the demo workspace in a process of its own.
func (p *Manager) TryDemo(context.Context) error {
	if p.opts.LaunchDemo == nil {
		return errors.New("accounts: the demo cannot be opened from here")
	}
	return p.opts.LaunchDemo()
}

// oauthConfig is the developer app at provider, without a redirect URI.
func (p *Manager) oauthConfig(ctx context.Context, provider invoicing.Provider) (oauth.Config, error) {
	c, err := secrets.LoadClient(ctx, p.opts.Secrets, string(provider), p.opts.BuiltIn[provider])
	if err != nil {
		return oauth.Config{}, fmt.Errorf("accounts: read the %s developer app: %w", provider.Name(), err)
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
func (p *Manager) tokenSource(ctx context.Context, provider invoicing.Provider) (*oauth.TokenSource, error) {
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

// record saves the connection's names and ids in the settings.
func (p *Manager) record(ctx context.Context, provider invoicing.Provider, values map[string]string) error {
	for _, key := range settingKeys[provider] {
		if err := p.opts.Settings.SetSetting(ctx, key, values[key]); err != nil {
			return fmt.Errorf("accounts: record the %s account: %w", provider.Name(), err)
		}
	}
	return nil
}
