package main

import (
	"fmt"
	"os"
	"time"

	"github.com/krosgen/krosgen/gen/krosai"
)

var signCommand = &command{
	name:  "sign",
	args:  "-secret S [-id ID] [-at UNIX] [-curl] [-url URL] FILE|-",
	short: "print the Standard Webhooks headers that sign a payload",
	details: `sign prints webhook-id, webhook-timestamp and webhook-signature for the
payload in FILE (or standard input), signed with the secret ("whsec_..."
or bare base64) as KrosAI signs deliveries. With -curl it prints a curl
command that posts the payload with those headers instead.

The secret defaults to $KROSAI_WEBHOOK_SECRET; the id to the payload's own
"id" (KrosAI uses the event id), the time to now.`,
}

func init() { signCommand.run = runSign }

// secretEnv is the variable the example receiver reads its secret from.
const secretEnv = "KROSAI_WEBHOOK_SECRET"

func runSign(args []string, e env) int {
	c := signCommand
	fl := newFlags(c)
	secret := fl.String("secret", "", "signing secret (default $"+secretEnv+")")
	id := fl.String("id", "", `message id (default: the payload's "id")`)
	at := fl.Int64("at", 0, "signature time, in Unix seconds (default: now)")
	curl := fl.Bool("curl", false, "print a curl command that posts the signed payload")
	url := fl.String("url", defaultURL, "the URL in the curl command")
	if status, done := parse(c, fl, args, e); done {
		return status
	}
	if fl.NArg() != 1 {
		return usageError(e.stderr, c.name, "want one payload file (or - for standard input), got %d arguments", fl.NArg())
	}
	if *secret == "" {
		*secret = os.Getenv(secretEnv)
	}
	if *secret == "" {
		return usageError(e.stderr, c.name, "-secret is required (or set $%s)", secretEnv)
	}
	payloads, err := readPayloads(fl.Arg(0), false, e.stdin)
	if err != nil {
		fmt.Fprintf(e.stderr, "krosgen: %v\n", err)
		return exitUsage
	}
	body := payloads[0].data
	if *id == "" {
		*id = envelopeID(body)
	}
	if *id == "" {
		return usageError(e.stderr, c.name, `the payload has no string "id"; give -id`)
	}
	ts := time.Now()
	if *at != 0 {
		ts = time.Unix(*at, 0)
	}
	h, err := krosai.SignStandard(*secret, *id, ts, body)
	if err != nil {
		fmt.Fprintf(e.stderr, "krosgen: %v\n", err)
		return exitUsage
	}
	names := []string{krosai.HeaderWebhookID, krosai.HeaderWebhookTimestamp, krosai.HeaderWebhookSignature}
	if !*curl {
		for _, n := range names {
			fmt.Fprintf(e.stdout, "%s: %s\n", n, h.Get(n))
		}
		return exitOK
	}
	data := "@" + fl.Arg(0)
	if fl.Arg(0) == "-" {
		data = shellQuote(string(body))
	}
	fmt.Fprintf(e.stdout, "curl -sS -X POST %s -H 'Content-Type: application/json'", shellQuote(*url))
	for _, n := range names {
		fmt.Fprintf(e.stdout, " -H %s", shellQuote(n+": "+h.Get(n)))
	}
	fmt.Fprintf(e.stdout, " --data-binary %s\n", shellQuote(data))
	return exitOK
}
