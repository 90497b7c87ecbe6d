package accounts

import (
	"fmt"
	"strconv"

	"dealbooks/app/invoicing"
	"dealbooks/app/secrets"
)

// DefaultRedirectURL is the loopback redirect URI registered for both developer apps unless the
// environment names another.
const DefaultRedirectURL = "http://localhost:53682/callback"

// Environment variables that point Dealbooks at other servers and developer apps.
const (
	EnvPipedriveAPI          = "DEALBOOKS_PIPEDRIVE_API_URL"
	EnvPipedriveOAuth        = "DEALBOOKS_PIPEDRIVE_OAUTH_URL"
	EnvPipedriveClientID     = "DEALBOOKS_PIPEDRIVE_CLIENT_ID"
	EnvPipedriveClientSecret = "DEALBOOKS_PIPEDRIVE_CLIENT_SECRET"
	EnvPipedriveRedirect     = "DEALBOOKS_PIPEDRIVE_REDIRECT_URI"
	EnvQuickBooksAPI         = "DEALBOOKS_QUICKBOOKS_API_URL"
	EnvQuickBooksOAuth       = "DEALBOOKS_QUICKBOOKS_OAUTH_URL"
	EnvQuickBooksClientID    = "DEALBOOKS_QUICKBOOKS_CLIENT_ID"
	EnvQuickBooksSecret      = "DEALBOOKS_QUICKBOOKS_CLIENT_SECRET"
	EnvQuickBooksRedirect    = "DEALBOOKS_QUICKBOOKS_REDIRECT_URI"
	EnvRelayPort             = "DEALBOOKS_OAUTH_RELAY_PORT"
)

// Endpoints are the addresses of both services and the redirect URIs registered for the developer
// apps. Empty addresses mean the real services.
type Endpoints struct {
	// PipedriveAPI is the API host; "" means the api_domain of the OAuth token, or
	// api.pipedrive.com for an API token.
	PipedriveAPI string
	// PipedriveOAuth is the host of Pipedrive's OAuth pages; "" means oauth.pipedrive.com.
	PipedriveOAuth string
	// QuickBooksAPI is the API host; "" means Intuit's sandbox or production host, as chosen.
	QuickBooksAPI string
	// QuickBooksOAuth is one host serving Intuit's OAuth paths; "" means Intuit's own hosts.
	QuickBooksOAuth string
	// PipedriveRedirect and QuickBooksRedirect are the registered redirect URIs: a loopback
	// http://localhost:PORT/callback, or the HTTPS address of the relay page. "" picks a free
	// loopback port at each sign-in, which only the fakes accept.
	PipedriveRedirect  string
	QuickBooksRedirect string
	// RelayPort is the loopback port the relay page forwards to; 0 picks a free one.
	RelayPort int
}

// FromEnv reads the endpoints and the developer apps' clients from the environment (see the
// README), falling back to the real services, DefaultRedirectURL and the clients built in.
func FromEnv(getenv func(string) string, builtIn map[invoicing.Provider]secrets.Client) (Endpoints, map[invoicing.Provider]secrets.Client, error) {
	or := func(name, fallback string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return fallback
	}
	e := Endpoints{
		PipedriveAPI:       getenv(EnvPipedriveAPI),
		PipedriveOAuth:     getenv(EnvPipedriveOAuth),
		QuickBooksAPI:      getenv(EnvQuickBooksAPI),
		QuickBooksOAuth:    getenv(EnvQuickBooksOAuth),
		PipedriveRedirect:  or(EnvPipedriveRedirect, DefaultRedirectURL),
		QuickBooksRedirect: or(EnvQuickBooksRedirect, DefaultRedirectURL),
	}
	if v := getenv(EnvRelayPort); v != "" {
		port, err := strconv.Atoi(v)
		if err != nil || port < 1024 || port > 65535 {
			return Endpoints{}, nil, fmt.Errorf("accounts: %s=%q: want a port from 1024 to 65535", EnvRelayPort, v)
		}
		e.RelayPort = port
	}
	clients := map[invoicing.Provider]secrets.Client{
		invoicing.Pipedrive:  {ID: or(EnvPipedriveClientID, builtIn[invoicing.Pipedrive].ID), Secret: or(EnvPipedriveClientSecret, builtIn[invoicing.Pipedrive].Secret)},
		invoicing.QuickBooks: {ID: or(EnvQuickBooksClientID, builtIn[invoicing.QuickBooks].ID), Secret: or(EnvQuickBooksSecret, builtIn[invoicing.QuickBooks].Secret)},
	}
	return e, clients, nil
}
