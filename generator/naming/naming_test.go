package naming

import "testing"

func TestGoName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"call_id", "CallID"},
		{"recording_url", "RecordingURL"},
		{"phone_number_id", "PhoneNumberID"},
		{"from_number", "FromNumber"},
		{"fromNumber", "FromNumber"},
		{"call.completed", "CallCompleted"},
		{"phone_number.purchased", "PhoneNumberPurchased"},
		{"NETWORK_ERROR", "NetworkError"},
		{"normal_clearing", "NormalClearing"},
		{"HTTPServer", "HTTPServer"},
		{"sip_uri", "SIPURI"},
		{"api-key", "APIKey"},
		{"e164", "E164"},
		{"2fa_enabled", "X2faEnabled"},
		{"type", "Type"},
		{"", ""},
		{"___", ""},
		{"amount_cents", "AmountCents"},
		{"en", "En"},
		{"x-order", "XOrder"},
	}
	for _, tt := range tests {
		if got := GoName(tt.in); got != tt.want {
			t.Errorf("GoName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestUnexported(t *testing.T) {
	tests := []struct{ in, want string }{
		{"CallID", "callID"},
		{"URL", "url"},
		{"ID", "id"},
		{"URLPath", "urlPath"},
		{"Type", "type_"},
		{"Range", "range_"},
		{"X", "x"},
	}
	for _, tt := range tests {
		if got := Unexported(tt.in); got != tt.want {
			t.Errorf("Unexported(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsASCII(t *testing.T) {
	if !IsASCII("call_id") || IsASCII("caf\u00e9") || IsASCII("a\x01") {
		t.Fatal("IsASCII misclassifies")
	}
}
