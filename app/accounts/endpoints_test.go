package accounts

import (
	"testing"

	"dealbooks/app/invoicing"
	"dealbooks/app/secrets"
)

func TestFromEnv(t *testing.T) {
	builtIn := map[invoicing.Provider]secrets.Client{invoicing.QuickBooks: {ID: "built-in", Secret: "built-in-secret"}}
	cases := []struct {
		name        string
		env         map[string]string
		want        Endpoints
		wantClients map[invoicing.Provider]secrets.Client
		wantErr     bool
	}{
		{
			name: "nothing set: the real services, the default loopback, the built-in clients",
			env:  map[string]string{},
			want: Endpoints{PipedriveRedirect: DefaultRedirectURL, QuickBooksRedirect: DefaultRedirectURL},
			wantClients: map[invoicing.Provider]secrets.Client{
				invoicing.Pipedrive: {}, invoicing.QuickBooks: {ID: "built-in", Secret: "built-in-secret"},
			},
		},
		{
			name: "everything set",
			env: map[string]string{
				EnvPipedriveAPI: "http://127.0.0.1:9001", EnvPipedriveOAuth: "http://127.0.0.1:9002",
				EnvQuickBooksAPI: "http://127.0.0.1:9003", EnvQuickBooksOAuth: "http://127.0.0.1:9004",
				EnvPipedriveClientID: "pd-id", EnvPipedriveClientSecret: "pd-secret",
				EnvQuickBooksClientID: "qb-id", EnvQuickBooksSecret: "qb-secret",
				EnvPipedriveRedirect: "http://localhost:8080/callback", EnvQuickBooksRedirect: "https://example.org/relay/",
				EnvRelayPort: "53999",
			},
			want: Endpoints{
				PipedriveAPI: "http://127.0.0.1:9001", PipedriveOAuth: "http://127.0.0.1:9002",
				QuickBooksAPI: "http://127.0.0.1:9003", QuickBooksOAuth: "http://127.0.0.1:9004",
				PipedriveRedirect: "http://localhost:8080/callback", QuickBooksRedirect: "https://example.org/relay/",
				RelayPort: 53999,
			},
			wantClients: map[invoicing.Provider]secrets.Client{
				invoicing.Pipedrive: {ID: "pd-id", Secret: "pd-secret"}, invoicing.QuickBooks: {ID: "qb-id", Secret: "qb-secret"},
			},
		},
		{name: "relay port not a number", env: map[string]string{EnvRelayPort: "port"}, wantErr: true},
		{name: "relay port reserved", env: map[string]string{EnvRelayPort: "80"}, wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, clients, err := FromEnv(func(k string) string { return tc.env[k] }, builtIn)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if tc.wantErr {
				return
			}
			if got != tc.want {
				t.Errorf("endpoints = %+v, want %+v", got, tc.want)
			}
			for p, want := range tc.wantClients {
				if clients[p] != want {
					t.Errorf("%s client = %v, want %v", p, clients[p], want)
				}
			}
		})
	}
}
