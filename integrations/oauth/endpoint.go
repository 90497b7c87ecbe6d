// Package oauth signs a desktop user in to QuickBooks or Pipedrive in the system browser and keeps tokens fresh.
package oauth

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"dealbooks/integrations/internal/httpx"
)

// RevokeStyle says how a provider's revoke endpoint wants the token sent.
type RevokeStyle int

const (
	// RevokeJSON sends {"token": …} as JSON (Intuit).
	RevokeJSON RevokeStyle = iota
	// RevokeForm sends token=…&token_type_hint=refresh_token as a form (RFC 7009, Pipedrive).
	RevokeForm
)

// Endpoint describes one provider's OAuth server. Clients authenticate to the token and revoke
// endpoints with an HTTP Basic header.
type Endpoint struct {
	Name        string // shown to the user, e.g. "QuickBooks"
	AuthURL     string
	TokenURL    string
	RevokeURL   string
	RevokeStyle RevokeStyle
	Scopes      []string
	// Extras names the callback parameters and token-response fields that stay with the token,
	// readable with Token.Extra: "realmId" for QuickBooks, "api_domain" for Pipedrive.
	Extras []string
}

// QuickBooks returns Intuit's OAuth endpoints. An empty base means the real Intuit hosts; any other
// base (a fake, a test server) serves the same paths on one host.
func QuickBooks(base string) Endpoint {
	auth, token, revoke := "https://appcenter.intuit.com", "https://oauth.platform.intuit.com", "https://developer.api.intuit.com"
	if base != "" {
		base = strings.TrimSuffix(base, "/")
		auth, token, revoke = base, base, base
	}
	return Endpoint{
		Name:        "QuickBooks",
		AuthURL:     auth + "/connect/oauth2",
		TokenURL:    token + "/oauth2/v1/tokens/bearer",
		RevokeURL:   revoke + "/v2/oauth2/tokens/revoke",
		RevokeStyle: RevokeJSON,
		Scopes:      []string{"com.intuit.quickbooks.accounting"},
		Extras:      []string{"realmId"},
	}
}

// Pipedrive returns Pipedrive's OAuth endpoints. An empty base means the real host. Pipedrive takes
// no scope parameter: the scopes are fixed in the app's Developer Hub settings.
func Pipedrive(base string) Endpoint {
	if base == "" {
		base = "https://oauth.pipedrive.com"
	}
	base = strings.TrimSuffix(base, "/")
	return Endpoint{
		Name:        "Pipedrive",
		AuthURL:     base + "/oauth/authorize",
		TokenURL:    base + "/oauth/token",
		RevokeURL:   base + "/oauth/revoke",
		RevokeStyle: RevokeForm,
		Extras:      []string{"api_domain"},
	}
}

// Config is one developer app at one provider, and the redirect URI registered for it.
type Config struct {
	Endpoint     Endpoint
	ClientID     string
	ClientSecret string
	// RedirectURL is the redirect URI registered with the provider, byte for byte:
	// "http://localhost:PORT/callback" for the loopback mode, the HTTPS address of the relay page
	// for the relay mode, or any registered address for the paste mode.
	RedirectURL string
	// HTTPClient makes the token and revoke requests; nil means a client whose requests time out after
	// httpx.TokenTimeout (never http.DefaultClient, which waits for ever).
	HTTPClient *http.Client
	// Timeout bounds each token exchange, refresh and revoke, whatever HTTPClient does; zero means
	// httpx.TokenTimeout (30 s).
	Timeout time.Duration
}

// defaultClient makes the token and revoke requests of a Config without an HTTPClient.
var defaultClient = &http.Client{Timeout: httpx.TokenTimeout}

// String describes the configuration without its client secret.
func (c Config) String() string {
	secret := "missing"
	if c.ClientSecret != "" {
		secret = "set"
	}
	return fmt.Sprintf("oauth.Config{%s, client %q, secret %s, redirect %q}", c.Endpoint.Name, c.ClientID, secret, c.RedirectURL)
}

// GoString keeps %#v from printing the client secret.
func (c Config) GoString() string { return c.String() }

func (c Config) oauth2Config() *oauth2.Config {
	return &oauth2.Config{
		ClientID:     c.ClientID,
		ClientSecret: c.ClientSecret,
		RedirectURL:  c.RedirectURL,
		Scopes:       c.Endpoint.Scopes,
		Endpoint: oauth2.Endpoint{
			AuthURL:   c.Endpoint.AuthURL,
			TokenURL:  c.Endpoint.TokenURL,
			AuthStyle: oauth2.AuthStyleInHeader,
		},
	}
}

// tokenCall bounds one call to the token or revoke endpoint by the Config's timeout and carries its
// HTTP client to golang.org/x/oauth2. A stalled endpoint then ends in an error wrapping
// context.DeadlineExceeded instead of holding the caller (and a TokenSource's lock) for ever.
func (c Config) tokenCall(ctx context.Context) (context.Context, context.CancelFunc) {
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = httpx.TokenTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	return context.WithValue(ctx, oauth2.HTTPClient, c.httpClient()), cancel
}

func (c Config) httpClient() *http.Client {
	if c.HTTPClient == nil {
		return defaultClient
	}
	return c.HTTPClient
}
