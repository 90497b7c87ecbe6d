package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2/lang"

	"dealbooks/assets"
)

// Language is one of the languages Dealbooks ships. The empty code means "follow the operating system".
type Language struct {
	Code string // "", "en" or "nl"
	Name string // the language's own name, so a reader finds theirs whatever language is showing
}

// Languages lists the choices Settings offers, "follow the system" first.
func Languages() []Language {
	return []Language{
		{Code: "", Name: lang.X("settings.language.system", "Same as the system")},
		{Code: "en", Name: "English"},
		{Code: "nl", Name: "Nederlands"},
	}
}

// LoadTranslations registers the embedded translations; the operating system's locale picks among them.
func LoadTranslations() error {
	if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
		return fmt.Errorf("load translations: %w", err)
	}
	return nil
}

// UseLanguage makes code ("en", "nl", or "" for the system's choice) the language of every string from now on.
//
// fyne's lang package always follows the system locale, so an explicit choice is made by registering the chosen
// language's messages under the system locale's name; choosing "" registers the system's own closest language
// again, which undoes an earlier choice.
func UseLanguage(code string) error {
	if code == "" {
		code = systemLanguage()
	}
	data, err := assets.Translations.ReadFile("translations/" + code + ".json")
	if err != nil {
		return fmt.Errorf("no translation for %q: %w", code, err)
	}
	if err := lang.AddTranslationsForLocale(data, lang.SystemLocale()); err != nil {
		return fmt.Errorf("use language %q: %w", code, err)
	}
	return nil
}

// systemLanguage is the shipped language closest to the operating system's: Dutch for any Dutch locale,
// English otherwise.
func systemLanguage() string {
	if lang.SystemLocale().LanguageString() == "nl" {
		return "nl"
	}
	return "en"
}

// LoadLanguage reads the saved language choice ("" when none was made). main calls it before the window
// exists, so the first screen is already in the right language.
func LoadLanguage(ctx context.Context, settings SettingsStore) (string, error) {
	code, _, err := settings.Setting(ctx, settingLanguage)
	if err != nil {
		return "", fmt.Errorf("read language choice: %w", err)
	}
	return code, nil
}
