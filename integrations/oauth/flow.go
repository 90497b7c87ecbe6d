package oauth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/oauth2"
)

// Session is one sign-in attempt: the authorize URL with its state and PKCE verifier. The loopback
// and relay modes use one inside Flow.Connect; the paste mode uses it directly:
//
//	s := cfg.Begin()
//	open(s.AuthURL())
//	tok, err := s.Finish(ctx, pastedAddress)
type Session struct {
	cfg      Config
	state    string
	verifier string
	authURL  string
}

// Begin starts a sign-in for the paste mode: the user opens AuthURL, approves, and pastes the
// address the browser ended on into Finish.
func (c Config) Begin() *Session {
	return newSession(c, 0)
}

// newSession makes a fresh state and PKCE verifier. With a port, the state starts with
// "PORT." so the relay page knows which loopback port to forward to (see Flow); the rest of the
// state is 128 random bits.
func newSession(c Config, port int) *Session {
	state := rand.Text()
	if port != 0 {
		state = strconv.Itoa(port) + "." + state
	}
	verifier := oauth2.GenerateVerifier()
	return &Session{
		cfg:      c,
		state:    state,
		verifier: verifier,
		authURL:  c.oauth2Config().AuthCodeURL(state, oauth2.S256ChallengeOption(verifier)),
	}
}

// AuthURL is the provider's authorize page for this attempt.
func (s *Session) AuthURL() string { return s.authURL }

// String names the session without its state or verifier.
func (s *Session) String() string { return "oauth.Session{" + s.cfg.Endpoint.Name + "}" }

// GoString keeps %#v from printing the verifier.
func (s *Session) GoString() string { return s.String() }

// Finish checks the address the browser ended on (pasted by the user) and exchanges its code.
func (s *Session) Finish(ctx context.Context, pasted string) (*oauth2.Token, error) {
	u, err := url.Parse(strings.TrimSpace(pasted))
	if err != nil {
		return nil, ErrBadPaste // the parse error would repeat the pasted code
	}
	q := u.Query()
	if !q.Has("state") && !q.Has("code") && !q.Has("error") {
		return nil, ErrBadPaste
	}
	code, err := s.check(q)
	if err != nil {
		return nil, err
	}
	return s.exchange(ctx, code, q)
}

// check validates a callback's query and returns its authorization code. The state is checked
// first, so nothing from a foreign answer is believed, not even its error.
func (s *Session) check(q url.Values) (string, error) {
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(s.state)) != 1 {
		return "", ErrStateMismatch
	}
	switch e := q.Get("error"); e {
	case "":
	case "access_denied", "user_denied": // Intuit and RFC 6749; Pipedrive
		return "", ErrDenied
	default:
		return "", &ProviderError{Provider: s.cfg.Endpoint.Name, Code: e, Description: q.Get("error_description")}
	}
	code := q.Get("code")
	if code == "" {
		return "", &ProviderError{Provider: s.cfg.Endpoint.Name, Description: "the answer in the browser has no authorization code"}
	}
	return code, nil
}

// exchange trades the code for a token and keeps the Endpoint.Extras found in the token response
// or, failing that, in the callback query (QuickBooks sends realmId only on the callback).
func (s *Session) exchange(ctx context.Context, code string, q url.Values) (*oauth2.Token, error) {
	conf := s.cfg.oauth2Config()
	ctx, cancel := s.cfg.tokenCall(ctx)
	defer cancel()
	tok, err := conf.Exchange(ctx, code, oauth2.VerifierOption(s.verifier))
	if err != nil {
		return nil, fmt.Errorf("oauth: signing in to %s: %w", s.cfg.Endpoint.Name, providerError(s.cfg.Endpoint.Name, err))
	}
	extras := make(map[string]any)
	for _, name := range s.cfg.Endpoint.Extras {
		if v := tok.Extra(name); v != nil && v != "" {
			extras[name] = v
		} else if v := q.Get(name); v != "" {
			extras[name] = v
		}
	}
	return tok.WithExtra(extras), nil
}
