package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
)

// SecretStore keeps named secrets. app/secrets implements it; neither package imports the other.
type SecretStore interface {
	// Get returns the value under key, or an error matching fs.ErrNotExist when there is none.
	Get(ctx context.Context, key string) (string, error)
	Set(ctx context.Context, key, value string) error
	// Delete removes key; a missing key is not an error.
	Delete(ctx context.Context, key string) error
}

// TokenSource hands out a provider's access token, refreshing it when it has expired. Every new
// token is saved to the SecretStore before anyone gets it (QuickBooks rotates the refresh token
// on each refresh, and the old one dies 24 hours later), and only one load, refresh or save runs
// at a time. It implements oauth2.TokenSource and the ForceRefresh seam the API clients use on
// an HTTP 401.
type TokenSource struct {
	ctx   context.Context
	cfg   Config
	store SecretStore
	key   string

	lock chan struct{} // holds one value while a goroutine owns the fields below
	// tok is the current token, nil until loaded; saved says whether the store has it.
	tok   *oauth2.Token
	saved bool
	// dead is set when the provider refused the refresh token; no request is sent until Save.
	dead error
	// refreshes counts new tokens (refreshed or saved), so a ForceRefresh that waited on
	// another refresh can use its result instead of refreshing again. Read without the lock.
	refreshes atomic.Int64
}

var (
	_ oauth2.TokenSource = (*TokenSource)(nil)
	_ interface {
		ForceRefresh(context.Context) (*oauth2.Token, error)
	} = (*TokenSource)(nil)
)

// NewTokenSource returns a token source for cfg whose token lives in store under key. Nothing is
// read until the first call. ctx bounds the calls that oauth2.TokenSource's Token cannot pass a
// context to; it is usually the app's lifetime context.
func NewTokenSource(ctx context.Context, cfg Config, store SecretStore, key string) *TokenSource {
	return &TokenSource{ctx: ctx, cfg: cfg, store: store, key: key, lock: make(chan struct{}, 1)}
}

// String names the source without its tokens or client secret.
func (ts *TokenSource) String() string {
	return fmt.Sprintf("oauth.TokenSource{%s, key %q}", ts.cfg.Endpoint.Name, ts.key)
}

// GoString keeps %#v from printing tokens.
func (ts *TokenSource) GoString() string { return ts.String() }

// Token returns a valid access token, refreshing and saving it first if it has expired.
// It returns ErrNotConnected when no token is saved and a *ReconnectError when the provider no
// longer accepts the refresh token.
func (ts *TokenSource) Token() (*oauth2.Token, error) {
	ctx := ts.ctx
	if err := ts.acquire(ctx); err != nil {
		return nil, err
	}
	defer ts.release()
	if err := ts.load(ctx); err != nil {
		return nil, err
	}
	if !ts.tok.Valid() {
		return ts.refresh(ctx)
	}
	return ts.current(ctx)
}

// ForceRefresh refreshes the token even though it looks valid: the API answered 401 to it.
// If another refresh finished while this call waited its turn, that token is returned instead,
// so a burst of 401s costs one refresh.
func (ts *TokenSource) ForceRefresh(ctx context.Context) (*oauth2.Token, error) {
	seen := ts.refreshes.Load()
	if err := ts.acquire(ctx); err != nil {
		return nil, err
	}
	defer ts.release()
	if err := ts.load(ctx); err != nil {
		return nil, err
	}
	if ts.refreshes.Load() != seen && ts.tok.Valid() {
		return ts.current(ctx)
	}
	return ts.refresh(ctx)
}

// Save makes tok, fresh from Connect or Finish, the current token and saves it.
func (ts *TokenSource) Save(ctx context.Context, tok *oauth2.Token) error {
	if err := ts.acquire(ctx); err != nil {
		return err
	}
	defer ts.release()
	ts.tok, ts.saved, ts.dead = tok, false, nil
	ts.refreshes.Add(1)
	return ts.save(ctx)
}

// Disconnect revokes the refresh token at the provider and forgets the token here. The token is
// forgotten even when the provider cannot be reached; the returned error then says the
// provider was not told, and the user can remove the app in the provider's own settings.
func (ts *TokenSource) Disconnect(ctx context.Context) error {
	if err := ts.acquire(ctx); err != nil {
		return err
	}
	defer ts.release()
	var revokeErr error
	switch err := ts.load(ctx); {
	case errors.Is(err, ErrNotConnected), errors.As(err, new(*ReconnectError)):
		// Nothing the provider still honours; only the local copy is left to forget.
	case err != nil:
		return err
	default:
		token := ts.tok.RefreshToken
		if token == "" {
			token = ts.tok.AccessToken
		}
		revokeErr = Revoke(ctx, ts.cfg, token)
	}
	if err := ts.store.Delete(ctx, ts.key); err != nil {
		return fmt.Errorf("oauth: forgetting the %s sign-in: %w", ts.cfg.Endpoint.Name, err)
	}
	ts.tok, ts.saved, ts.dead = nil, false, nil
	if revokeErr != nil {
		return fmt.Errorf("oauth: disconnected here, but %s could not be told; remove the app in %s's settings: %w",
			ts.cfg.Endpoint.Name, ts.cfg.Endpoint.Name, revokeErr)
	}
	return nil
}

func (ts *TokenSource) acquire(ctx context.Context) error {
	select {
	case ts.lock <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("oauth: waiting for the %s token: %w", ts.cfg.Endpoint.Name, ctx.Err())
	}
}

func (ts *TokenSource) release() { <-ts.lock }

// load reads the saved token once. The lock must be held.
func (ts *TokenSource) load(ctx context.Context) error {
	if ts.dead != nil {
		return ts.dead
	}
	if ts.tok != nil {
		return nil
	}
	value, err := ts.store.Get(ctx, ts.key)
	if errors.Is(err, fs.ErrNotExist) {
		return ErrNotConnected
	}
	if err != nil {
		return fmt.Errorf("oauth: reading the %s sign-in: %w", ts.cfg.Endpoint.Name, err)
	}
	tok, err := decodeToken(value)
	if err != nil {
		return fmt.Errorf("oauth: the saved %s sign-in is unreadable: %w", ts.cfg.Endpoint.Name, ErrNotConnected)
	}
	ts.tok, ts.saved = tok, true
	return nil
}

// refresh trades the refresh token for a new token, saves it, and only then returns it.
// The lock must be held and the token loaded.
func (ts *TokenSource) refresh(ctx context.Context) (*oauth2.Token, error) {
	if ts.tok.RefreshToken == "" {
		return nil, ErrNotConnected
	}
	callCtx, cancel := ts.cfg.tokenCall(ctx)
	defer cancel()
	src := ts.cfg.oauth2Config().TokenSource(callCtx, &oauth2.Token{RefreshToken: ts.tok.RefreshToken})
	tok, err := src.Token()
	if err != nil {
		err = providerError(ts.cfg.Endpoint.Name, err)
		var pe *ProviderError
		if errors.As(err, &pe) && pe.Code == "invalid_grant" {
			ts.dead = &ReconnectError{Provider: ts.cfg.Endpoint.Name}
			return nil, ts.dead
		}
		return nil, fmt.Errorf("oauth: refreshing the %s sign-in: %w", ts.cfg.Endpoint.Name, err)
	}
	ts.tok, ts.saved = keepExtras(tok, ts.tok, ts.cfg.Endpoint.Extras), false
	ts.refreshes.Add(1)
	return ts.current(ctx)
}

// current returns the current token, saving it first if the store does not have it yet (an
// earlier save failed). The lock must be held.
func (ts *TokenSource) current(ctx context.Context) (*oauth2.Token, error) {
	if err := ts.save(ctx); err != nil {
		return nil, err
	}
	tok := *ts.tok
	return &tok, nil
}

func (ts *TokenSource) save(ctx context.Context) error {
	if ts.saved {
		return nil
	}
	value, err := encodeToken(ts.tok, ts.cfg.Endpoint.Extras)
	if err != nil {
		return fmt.Errorf("oauth: encoding the %s sign-in: %w", ts.cfg.Endpoint.Name, err)
	}
	if err := ts.store.Set(ctx, ts.key, value); err != nil {
		return fmt.Errorf("oauth: saving the new %s sign-in: %w", ts.cfg.Endpoint.Name, err)
	}
	ts.saved = true
	return nil
}

// keepExtras gives tok the named extras, taking each from tok or, when the provider left it out
// of the refresh answer, from prev (realmId only ever comes on the first callback).
func keepExtras(tok, prev *oauth2.Token, names []string) *oauth2.Token {
	extras := make(map[string]any)
	for _, name := range names {
		if v := tok.Extra(name); v != nil && v != "" {
			extras[name] = v
		} else if v := prev.Extra(name); v != nil && v != "" {
			extras[name] = v
		}
	}
	return tok.WithExtra(extras)
}

// maxSavedSize keeps a saved token inside every OS keychain: Windows refuses secrets over
// 2560 bytes and macOS a command over 4096 bytes after base64 (about 3000 bytes of secret).
const maxSavedSize = 2000

// savedToken is how a token is kept in the SecretStore.
type savedToken struct {
	AccessToken  string         `json:"access_token,omitempty"`
	TokenType    string         `json:"token_type,omitempty"`
	RefreshToken string         `json:"refresh_token"`
	Expiry       time.Time      `json:"expiry,omitzero"`
	Extra        map[string]any `json:"extra,omitempty"`
}

// encodeToken writes tok and its named extras as compact JSON. If that would not fit in a
// keychain, the access token is left out: the next start then refreshes once.
func encodeToken(tok *oauth2.Token, extras []string) (string, error) {
	s := savedToken{
		AccessToken:  tok.AccessToken,
		TokenType:    tok.TokenType,
		RefreshToken: tok.RefreshToken,
		Expiry:       tok.Expiry,
	}
	for _, name := range extras {
		if v := tok.Extra(name); v != nil && v != "" {
			if s.Extra == nil {
				s.Extra = make(map[string]any)
			}
			s.Extra[name] = v
		}
	}
	b, err := json.Marshal(s)
	if err == nil && len(b) > maxSavedSize {
		s.AccessToken, s.Expiry = "", time.Time{}
		b, err = json.Marshal(s)
	}
	return string(b), err
}

// decodeToken reads what encodeToken wrote. A token without a refresh token is useless to us.
func decodeToken(value string) (*oauth2.Token, error) {
	var s savedToken
	if err := json.Unmarshal([]byte(value), &s); err != nil {
		return nil, err
	}
	if s.RefreshToken == "" {
		return nil, errors.New("no refresh token")
	}
	tok := &oauth2.Token{AccessToken: s.AccessToken, TokenType: s.TokenType, RefreshToken: s.RefreshToken, Expiry: s.Expiry}
	if s.Extra != nil {
		tok = tok.WithExtra(s.Extra)
	}
	return tok, nil
}
