package platform

import (
	"regexp"
	"strings"
	"testing"
)

const secret = "s3cr3tT0k3n.abc-XYZ_987"

func TestRedact(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"authorization header", "Authorization: Bearer " + secret, "Authorization: " + Mask},
		{"bare bearer token", "sent bearer " + secret + " to QBO", "sent bearer " + Mask + " to QBO"},
		{"basic auth header", "authorization=Basic " + secret, "authorization=" + Mask},
		{"pipedrive header", "X-Api-Token: " + secret, "X-Api-Token: " + Mask},
		{"query string", "GET /v1/users/me?api_token=" + secret + "&limit=5", "GET /v1/users/me?api_token=" + Mask + "&limit=5"},
		{"oauth callback", "/callback?code=" + secret + "&state=xyz&realmId=123", "/callback?code=" + Mask + "&state=xyz&realmId=123"},
		{"token response", `{"access_token":"` + secret + `","expires_in":3600,"x_refresh_token_expires_in":8726400,"refresh_token": "` + secret + `"}`,
			`{"access_token":"` + Mask + `","expires_in":3600,"x_refresh_token_expires_in":8726400,"refresh_token": "` + Mask + `"}`},
		{"escaped quote in JSON", `{"client_secret":"a\"` + secret + `"}`, `{"client_secret":"` + Mask + `"}`},
		{"form body", "grant_type=refresh_token&refresh_token=" + secret + "&client_secret=" + secret,
			"grant_type=refresh_token&refresh_token=" + Mask + "&client_secret=" + Mask},
		{"printed struct", "{AccessToken:" + secret + " Expiry:2026-01-01}", "{AccessToken:" + Mask + " Expiry:2026-01-01}"},
		{"quoted value", `password="` + secret + `"`, "password=" + Mask},
		{"status code is not a secret", "status code: 500, fault code=6240", "status code: 500, fault code=" + Mask},
		{"plain text unchanged", "created invoice 1042 for Acme BV (intuit_tid=1-abc)", "created invoice 1042 for Acme BV (intuit_tid=1-abc)"},
		{"a basic sentence", "basic setup done", "basic setup done"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Redact(tt.in); got != tt.want {
				t.Errorf("Redact(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestIsSecretKey(t *testing.T) {
	for key, want := range map[string]bool{
		"token": true, "access_token": true, "refresh_token": true, "api_token": true, "X-Api-Token": true,
		"apiToken": true, "client_secret": true, "password": true, "Authorization": true, "code": true,
		"code_verifier": true, "Cookie": true,
		"intuit_tid": false, "realmId": false, "state": false, "status": false, "error_code": false, "deal_id": false,
	} {
		if got := IsSecretKey(key); got != want {
			t.Errorf("IsSecretKey(%q) = %v, want %v", key, got, want)
		}
	}
}

var tokenLike = regexp.MustCompile(`^[A-Za-z0-9._~+/-]{12,}$`)

// FuzzRedact checks that a token in any of the places secrets travel never survives, whatever text
// comes before it, and that redacting twice changes nothing.
func FuzzRedact(f *testing.F) {
	f.Add("GET ", secret)
	f.Add(`{"x":1,`, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl")
	f.Add("code=", "AB11234567890abcdefXYZ")
	f.Fuzz(func(t *testing.T, prefix, token string) {
		if !tokenLike.MatchString(token) || strings.Contains(token, Mask) {
			return
		}
		for _, place := range []string{
			"Authorization: Bearer " + token,
			" Bearer " + token,
			"?access_token=" + token + "&x=1",
			" api_token=" + token,
			`{"refresh_token":"` + token + `"}`,
			" x-api-token: " + token,
		} {
			in := prefix + place
			if strings.Count(in, token) != 1 { // the token also appears by chance in the prefix
				continue
			}
			once := Redact(in)
			if strings.Contains(once, token) {
				t.Fatalf("Redact(%q) = %q keeps the token", in, once)
			}
			if twice := Redact(once); twice != once {
				t.Fatalf("Redact is not idempotent: %q then %q", once, twice)
			}
		}
	})
}
