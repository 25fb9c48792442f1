// Command analyze sends one text to an nlpd server (nlpd.v1.AnalysisService/Analyze,
// the "entities" analysis) and prints one line per entity: LABEL<TAB>text.
//
//	go run ./cmd/analyze -target 127.0.0.1:50051 "Angela Merkel besuchte Paris."
//
// On an error it prints the gRPC status on stderr and exits with 1 (2 for a
// usage error).
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"google.golang.org/genproto/googleapis/rpc/code"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	nlpdv1 "github.com/nlpd/nlpd/clients/go/gen/nlpd/v1"
)

const usage = `usage: analyze [flags] TEXT

Sends TEXT to nlpd's Analyze (analysis "entities") and prints one line per
entity: LABEL<TAB>text. TEXT "-" reads the text from stdin.

flags:
`

type options struct {
	target   string
	language string
	token    string
	tlsCA    string
	tlsCert  string
	tlsKey   string
	timeout  time.Duration
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var opt options
	fs := flag.NewFlagSet("analyze", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	fs.StringVar(&opt.target, "target", "127.0.0.1:50051", "the server, HOST:PORT")
	fs.StringVar(&opt.language, "language", "", `BCP-47 tag of the text ("de", "en"); empty: the server identifies it`)
	fs.StringVar(&opt.token, "token", os.Getenv("NLPD_TOKEN"), "bearer token (default $NLPD_TOKEN)")
	fs.StringVar(&opt.tlsCA, "tls-ca", "", "PEM file of the CA that signed the server's certificate; turns on TLS")
	fs.StringVar(&opt.tlsCert, "tls-cert", "", "client certificate, PEM (mutual TLS; with -tls-key)")
	fs.StringVar(&opt.tlsKey, "tls-key", "", "client private key, PEM (mutual TLS; with -tls-cert)")
	opt.timeout = 30 * time.Second
	fs.Func("timeout", "deadline of the call: seconds, or a duration such as 1m30s (default 30)", func(value string) error {
		seconds, err := strconv.ParseFloat(value, 64)
		if err == nil {
			opt.timeout = time.Duration(seconds * float64(time.Second))
		} else if opt.timeout, err = time.ParseDuration(value); err != nil {
			return errors.New("not a number of seconds or a duration")
		}
		if opt.timeout <= 0 {
			return errors.New("not positive")
		}
		return nil
	})
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "analyze: expected exactly one TEXT argument")
		fs.Usage()
		return 2
	}
	text := fs.Arg(0)
	if text == "-" {
		data, err := io.ReadAll(stdin)
		if err != nil {
			fmt.Fprintf(stderr, "analyze: reading stdin: %v\n", err)
			return 1
		}
		text = string(data)
	}

	creds, err := transportCredentials(opt)
	if err != nil {
		fmt.Fprintf(stderr, "analyze: %v\n", err)
		return 2
	}
	conn, err := grpc.NewClient(opt.target, grpc.WithTransportCredentials(creds))
	if err != nil {
		fmt.Fprintf(stderr, "analyze: %v\n", err)
		return 2
	}
	defer conn.Close()

	ctx, cancel := context.WithTimeout(context.Background(), opt.timeout)
	defer cancel()
	if opt.token != "" {
		ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+opt.token)
	}
	response, err := nlpdv1.NewAnalysisServiceClient(conn).Analyze(ctx, &nlpdv1.AnalyzeRequest{
		Text:     text,
		Analyses: []string{"entities"},
		Language: opt.language,
	})
	if err != nil {
		st := status.Convert(err)
		// The canonical name ("NOT_FOUND"), as grpcurl, the Python client and
		// the Node client print it.
		fmt.Fprintf(stderr, "analyze: %s: %s\n", code.Code(st.Code()).String(), st.Message())
		return 1
	}

	var out strings.Builder
	for _, entity := range response.GetEntities().GetEntities() {
		fmt.Fprintf(&out, "%s\t%s\n", entity.GetLabel(), entity.GetText())
	}
	if _, err := io.WriteString(stdout, out.String()); err != nil {
		return 1
	}
	return 0
}

// transportCredentials: TLS when a CA (or a client certificate) is given,
// plain text otherwise.
func transportCredentials(opt options) (credentials.TransportCredentials, error) {
	if opt.tlsCA == "" && opt.tlsCert == "" && opt.tlsKey == "" {
		return insecure.NewCredentials(), nil
	}
	config := &tls.Config{MinVersion: tls.VersionTLS12}
	if opt.tlsCA != "" {
		pem, err := os.ReadFile(opt.tlsCA)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%s: no PEM certificate", opt.tlsCA)
		}
		config.RootCAs = pool
	}
	if (opt.tlsCert == "") != (opt.tlsKey == "") {
		return nil, errors.New("-tls-cert and -tls-key go together")
	}
	if opt.tlsCert != "" {
		pair, err := tls.LoadX509KeyPair(opt.tlsCert, opt.tlsKey)
		if err != nil {
			return nil, err
		}
		config.Certificates = []tls.Certificate{pair}
	}
	return credentials.NewTLS(config), nil
}
