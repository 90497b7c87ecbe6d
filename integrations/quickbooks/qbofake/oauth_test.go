package qbofake

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"dealbooks/internal/testkit"
)

const redirectURI = "http://localhost:8765/callback"

func (h *harness) oauthConfig() *oauth2.Config {
	return &oauth2.Config{
		ClientID: h.fake.ClientID(), ClientSecret: h.fake.ClientSecret(), RedirectURL: redirectURI,
		Scopes: []string{accountingScope},
		Endpoint: oauth2.Endpoint{AuthURL: h.srv.URL + "/connect/oauth2", TokenURL: h.srv.URL + "/oauth2/v1/tokens/bearer",
			AuthStyle: oauth2.AuthStyleInHeader},
	}
}

// noRedirect returns redirects to the caller instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// approve walks the authorize page with the given decision and returns the
// redirect's query.
func (h *harness) approve(authURL, decision string) url.Values {
	h.t.Helper()
	resp, err := http.Get(authURL)
	if err != nil {
		h.t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`value="approve"`, `value="deny"`, "Approve", "Deny", `method="post"`} {
		if !strings.Contains(string(page), want) {
			h.t.Fatalf("authorize page lacks %s:\n%s", want, page)
		}
	}
	form, _ := url.Parse(authURL)
	values := form.Query()
	values.Set("decision", decision)
	resp, err = noRedirect.PostForm(h.srv.URL+"/connect/oauth2", values)
	if err != nil {
		h.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		h.t.Fatalf("decision answered %d", resp.StatusCode)
	}
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if !strings.HasPrefix(loc.String(), redirectURI) {
		h.t.Fatalf("redirected to %s", loc)
	}
	return loc.Query()
}

func TestAuthorizeApproveExchangeAndCallTheAPI(t *testing.T) {
	h := newHarness(t, Options{})
	cfg := h.oauthConfig()
	verifier := oauth2.GenerateVerifier()
	q := h.approve(cfg.AuthCodeURL("st4te", oauth2.S256ChallengeOption(verifier)), "approve")
	testkit.Eq(t, "state", q.Get("state"), "st4te")
	testkit.Eq(t, "realmId", q.Get("realmId"), h.fake.RealmID())
	ctx := context.Background()
	if _, err := cfg.Exchange(ctx, q.Get("code"), oauth2.VerifierOption("wrong")); err == nil {
		t.Fatal("wrong PKCE verifier accepted")
	}
	q = h.approve(cfg.AuthCodeURL("st4te", oauth2.S256ChallengeOption(verifier)), "approve")
	exchange := url.Values{"grant_type": {"authorization_code"}, "code": {q.Get("code")},
		"redirect_uri": {redirectURI}, "code_verifier": {verifier}}
	status, m, _ := h.postToken(exchange, h.fake.ClientID(), h.fake.ClientSecret())
	testkit.Eq(t, "exchange", status, 200)
	var sample map[string]any
	_ = json.Unmarshal(testkit.ReadFile(t, "oauth_token_response_authorization_code.json"), &sample)
	delete(sample, "id_token") // only with the openid scope
	testkit.Eq(t, "members", strings.Join(keys(m), ","), strings.Join(keys(sample), ","))
	testkit.Eq(t, "refresh lifetime", m["x_refresh_token_expires_in"], any(float64(8640000)))
	status, _, _ = h.postToken(exchange, h.fake.ClientID(), h.fake.ClientSecret())
	testkit.Eq(t, "a code works once", status, 400)
	h.token = m["access_token"].(string)
	status, _ = h.api(http.MethodGet, "/preferences", nil, "")
	testkit.Eq(t, "API with the new token", status, 200)
}

func TestAuthorizeDeny(t *testing.T) {
	h := newHarness(t, Options{})
	q := h.approve(h.oauthConfig().AuthCodeURL("s1"), "deny")
	testkit.Eq(t, "error", q.Get("error"), "access_denied")
	testkit.Eq(t, "state", q.Get("state"), "s1")
	testkit.Eq(t, "no code", q.Get("code"), "")
}

func TestAutoApprove(t *testing.T) {
	h := newHarness(t, Options{AutoApprove: true})
	resp, err := noRedirect.Get(h.oauthConfig().AuthCodeURL("s2"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	testkit.Eq(t, "status", resp.StatusCode, http.StatusFound)
	testkit.Eq(t, "state", loc.Query().Get("state"), "s2")
	if loc.Query().Get("code") == "" || loc.Query().Get("realmId") == "" {
		t.Errorf("redirect %s lacks code or realmId", loc)
	}
}

func TestAuthorizeRejectsBadRequests(t *testing.T) {
	h := newHarness(t, Options{AutoApprove: true})
	good := url.Values{"client_id": {h.fake.ClientID()}, "redirect_uri": {redirectURI}, "response_type": {"code"},
		"scope": {accountingScope}, "state": {"s"}}
	for _, tt := range []struct{ key, value string }{
		{"client_id", "other"}, {"redirect_uri", "not a url"}, {"scope", "openid"}, {"state", ""},
		{"response_type", "token"}, {"code_challenge_method", "plain"},
	} {
		q := url.Values{}
		for k, v := range good {
			q[k] = v
		}
		q.Set(tt.key, tt.value)
		if tt.key == "code_challenge_method" {
			q.Set("code_challenge", "abc")
		}
		resp, err := noRedirect.Get(h.srv.URL + "/connect/oauth2?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		testkit.Eq(t, tt.key, resp.StatusCode, http.StatusBadRequest)
	}
}

// postToken calls the token endpoint directly and returns status and body.
func (h *harness) postToken(form url.Values, id, secret string) (int, map[string]any, http.Header) {
	h.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/oauth2/v1/tokens/bearer", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.SetBasicAuth(id, secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m, resp.Header
}

func TestTokenAnswersHaveIntuitsShape(t *testing.T) {
	h := newHarness(t, Options{})
	rt := h.fake.IssueTokens().RefreshToken
	status, m, _ := h.postToken(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}}, h.fake.ClientID(), h.fake.ClientSecret())
	testkit.Eq(t, "status", status, 200)
	var sample map[string]any
	_ = json.Unmarshal(testkit.ReadFile(t, "oauth_token_response_refresh.json"), &sample)
	delete(sample, "id_token") // only with the openid scope
	testkit.Eq(t, "members", strings.Join(keys(m), ","), strings.Join(keys(sample), ","))
	testkit.Eq(t, "token_type", m["token_type"], any("bearer"))
	testkit.Eq(t, "expires_in", m["expires_in"], any(float64(3600)))

	status, m, hdr := h.postToken(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"nope"}}, h.fake.ClientID(), h.fake.ClientSecret())
	testkit.Eq(t, "invalid_grant status", status, 400)
	sample = nil
	_ = json.Unmarshal(testkit.ReadFile(t, "oauth_token_error_invalid_grant.json"), &sample)
	testkit.Eq(t, "error answer", strings.Join(keys(m), ","), strings.Join(keys(sample), ","))
	testkit.Eq(t, "error", m["error"], sample["error"])
	if hdr.Get("intuit_tid") == "" {
		t.Error("no intuit_tid on the token error")
	}

	status, m, _ = h.postToken(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}}, h.fake.ClientID(), "wrong")
	testkit.Eq(t, "bad client", status, 401)
	testkit.Eq(t, "bad client error", m["error"], any("invalid_client"))
	status, _, _ = h.postToken(url.Values{"grant_type": {"password"}}, h.fake.ClientID(), h.fake.ClientSecret())
	testkit.Eq(t, "bad grant type", status, 400)
}

func TestRefreshTokenRotation(t *testing.T) {
	h := newHarness(t, Options{})
	cfg := h.oauthConfig()
	ctx := context.Background()
	refresh := func(rt string) (*oauth2.Token, error) {
		return cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: rt}).Token()
	}
	first := h.fake.IssueTokens()
	second, err := refresh(first.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if second.RefreshToken == first.RefreshToken {
		t.Fatal("refresh token not rotated")
	}
	h.clock.Advance(23 * time.Hour)
	if _, err := refresh(first.RefreshToken); err != nil {
		t.Errorf("previous refresh token refused within 24 h: %v", err)
	}
	h.clock.Advance(2 * time.Hour)
	_, err = refresh(first.RefreshToken)
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
		t.Errorf("previous refresh token after 24 h: %v", err)
	}
	// The newest token of the grant still works.
	latest := latestRefresh(h.fake, first.RefreshToken)
	if _, err := refresh(latest); err != nil {
		t.Errorf("newest refresh token: %v", err)
	}
	h.clock.Advance(101 * 24 * time.Hour)
	if _, err := refresh(latestRefresh(h.fake, first.RefreshToken)); err == nil {
		t.Error("refresh token older than 100 days accepted")
	}
}

func TestRevoke(t *testing.T) {
	h := newHarness(t, Options{})
	tok := h.fake.IssueTokens()
	h.token = tok.AccessToken
	revoke := func(token, secret string) int {
		req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/v2/oauth2/tokens/revoke", strings.NewReader(`{"token":"`+token+`"}`))
		req.Header.Set("Content-Type", "application/json")
		req.SetBasicAuth(h.fake.ClientID(), secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	testkit.Eq(t, "bad client", revoke(tok.RefreshToken, "wrong"), 401)
	testkit.Eq(t, "revoke", revoke(tok.RefreshToken, h.fake.ClientSecret()), 200)
	status, _ := h.api(http.MethodGet, "/preferences", nil, "")
	testkit.Eq(t, "access token revoked with the grant", status, 401)
	status, _, _ = h.postToken(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}}, h.fake.ClientID(), h.fake.ClientSecret())
	testkit.Eq(t, "refresh after revoke", status, 400)
}

func TestEndpointsMatchIntuitDiscovery(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(testkit.ReadFile(t, "oauth_discovery_document_production.json"), &doc); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, Options{AutoApprove: true})
	for _, key := range []string{"authorization_endpoint", "token_endpoint", "revocation_endpoint"} {
		u, _ := url.Parse(doc[key].(string))
		req, _ := http.NewRequest(http.MethodOptions, h.srv.URL+u.Path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		// The path exists (a wrong method, not a missing page).
		testkit.Eq(t, key+" "+u.Path, resp.StatusCode, http.StatusMethodNotAllowed)
	}
}

func TestPKCEEncoding(t *testing.T) {
	sum := sha256.Sum256([]byte("v"))
	testkit.Eq(t, "S256", pkceS256("v"), base64.RawURLEncoding.EncodeToString(sum[:]))
}

// latestRefresh returns the newest refresh token of rt's grant.
func latestRefresh(s *Server, rt string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.auth.refresh[rt]
	if old == nil {
		return ""
	}
	for k, t := range s.auth.refresh {
		if t.grant == old.grant && t.supersededAt.IsZero() {
			return k
		}
	}
	return ""
}
