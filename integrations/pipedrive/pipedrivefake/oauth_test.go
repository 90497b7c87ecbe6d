package pipedrivefake

import (
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"dealbooks/internal/testkit"
)

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

const callback = "http://127.0.0.1:53682/callback"

// authorize runs the consent page with the given decision and returns the redirect's query.
func (e *env) authorize(decision string, extra url.Values) url.Values {
	e.t.Helper()
	q := url.Values{"client_id": {DefaultClientID}, "redirect_uri": {callback}, "state": {"xyz"}}
	for k, v := range extra {
		q[k] = v
	}
	resp, err := http.Get(e.srv.URL + "/oauth/authorize?" + q.Encode())
	if err != nil {
		e.t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`value="approve">Approve</button>`, `value="deny">Deny</button>`, `method="post"`} {
		if !strings.Contains(string(page), want) {
			e.t.Fatalf("authorize page lacks %s:\n%s", want, page)
		}
	}
	q.Set("decision", decision)
	resp, err = noRedirect.PostForm(e.srv.URL+"/oauth/authorize", q)
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc.String(), callback) {
		e.t.Fatalf("decision answer %d to %q", resp.StatusCode, loc)
	}
	return loc.Query()
}

// token posts a token request with Basic client auth (unless secret is "").
func (e *env) token(form url.Values, secret string) (int, map[string]any) {
	e.t.Helper()
	req, _ := http.NewRequest("POST", e.srv.URL+"/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if secret != "" {
		req.SetBasicAuth(DefaultClientID, secret)
	}
	status, _, body := do(e.t, req)
	return status, body
}

func (e *env) bearer(token string) int {
	e.t.Helper()
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/users/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	status, _, _ := do(e.t, req)
	return status
}

func TestOAuthCodeFlowWithPKCE(t *testing.T) {
	e := newEnv(t, Options{})
	denied := e.authorize("deny", nil)
	testkit.Eq(t, "error", denied.Get("error"), "access_denied")
	testkit.Eq(t, "state on deny", denied.Get("state"), "xyz")

	verifier := "a-long-random-verifier-string-of-at-least-43-characters-123"
	sum := sha256.Sum256([]byte(verifier))
	pkce := url.Values{"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}}
	approved := e.authorize("approve", pkce)
	testkit.Eq(t, "state", approved.Get("state"), "xyz")
	code := approved.Get("code")
	exchange := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {callback},
		"code_verifier": {verifier}}

	status, body := e.token(exchange, "")
	testkit.Eq(t, "no client auth", body["error"], any("invalid_client"))
	testkit.Eq(t, "status", status, http.StatusBadRequest)
	status, body = e.token(exchange, DefaultClientSecret)
	testkit.Eq(t, "exchange", status, http.StatusOK)
	want := testkit.Decode[map[string]any](t, "oauth-token-response.json")
	if !slices.Equal(keys(body), keys(want)) {
		t.Errorf("token keys %v, want %v", keys(body), keys(want))
	}
	testkit.Eq(t, "api_domain", body["api_domain"], any(e.srv.URL))
	testkit.Eq(t, "expires_in", body["expires_in"], any(float64(3599)))
	_, again := e.token(exchange, DefaultClientSecret)
	testkit.Eq(t, "code reuse", again["error"], any("invalid_grant"))
	if !slices.Equal(keys(again), keys(testkit.Decode[map[string]any](t, "oauth-error-invalid-grant.client-nodejs-test.json"))) {
		t.Errorf("error keys %v", keys(again))
	}

	access, refresh := body["access_token"].(string), body["refresh_token"].(string)
	testkit.Eq(t, "bearer works", e.bearer(access), http.StatusOK)

	status, refreshed := e.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}}, DefaultClientSecret)
	testkit.Eq(t, "refresh", status, http.StatusOK)
	testkit.Eq(t, "same refresh token", refreshed["refresh_token"], any(refresh))
	if refreshed["access_token"] == access {
		t.Error("refresh returned the same access token")
	}

	e.clock.Advance(61 * time.Minute)
	testkit.Eq(t, "expired access token", e.bearer(refreshed["access_token"].(string)), http.StatusUnauthorized)
}

func TestOAuthRejectsBadRequests(t *testing.T) {
	e := newEnv(t, Options{RedirectURI: callback})
	resp, err := http.Get(e.srv.URL + "/oauth/authorize?client_id=other&redirect_uri=" + url.QueryEscape(callback))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	testkit.Eq(t, "unknown client", resp.StatusCode, http.StatusBadRequest)
	resp, err = http.Get(e.srv.URL + "/oauth/authorize?client_id=" + DefaultClientID + "&redirect_uri=http://evil.example/cb")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	testkit.Eq(t, "unregistered redirect", resp.StatusCode, http.StatusBadRequest)

	sum := sha256.Sum256([]byte("right-verifier"))
	code := e.authorize("approve", url.Values{"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])},
		"code_challenge_method": {"S256"}}).Get("code")
	_, body := e.token(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {callback},
		"code_verifier": {"wrong-verifier"}}, DefaultClientSecret)
	testkit.Eq(t, "bad verifier", body["error"], any("invalid_grant"))

	code = e.authorize("approve", nil).Get("code")
	e.clock.Advance(6 * time.Minute)
	_, body = e.token(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {callback}},
		DefaultClientSecret)
	testkit.Eq(t, "expired code", body["message"], any("Invalid grant: authorization_code has expired"))

	_, body = e.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"nope"}}, "wrong-secret")
	testkit.Eq(t, "wrong secret", body["error"], any("invalid_client"))
	_, body = e.token(url.Values{}, DefaultClientSecret)
	testkit.Eq(t, "no grant type", body["message"], any("Missing parameter: grant_type"))
}

func TestAutoApproveAndRevoke(t *testing.T) {
	e := newEnv(t, Options{AutoApprove: true})
	resp, err := noRedirect.Get(e.srv.URL + "/oauth/authorize?client_id=" + DefaultClientID + "&state=s1&redirect_uri=" +
		url.QueryEscape(callback))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	testkit.Eq(t, "auto-approve redirect", resp.StatusCode, http.StatusFound)
	_, body := e.token(url.Values{"grant_type": {"authorization_code"}, "code": {loc.Query().Get("code")},
		"redirect_uri": {callback}}, DefaultClientSecret)
	access, refresh := body["access_token"].(string), body["refresh_token"].(string)

	revoke := func(token, hint string) int {
		req, _ := http.NewRequest("POST", e.srv.URL+"/oauth/revoke",
			strings.NewReader(url.Values{"token": {token}, "token_type_hint": {hint}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(DefaultClientID, DefaultClientSecret)
		status, _, _ := do(t, req)
		return status
	}
	testkit.Eq(t, "revoke unknown", revoke("unknown", "access_token"), http.StatusOK)
	testkit.Eq(t, "still valid", e.bearer(access), http.StatusOK)
	testkit.Eq(t, "revoke grant", revoke(refresh, "refresh_token"), http.StatusOK)
	testkit.Eq(t, "access gone with grant", e.bearer(access), http.StatusUnauthorized)
	_, body = e.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}}, DefaultClientSecret)
	testkit.Eq(t, "refresh gone", body["error"], any("invalid_grant"))
}
