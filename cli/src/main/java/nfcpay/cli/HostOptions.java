package nfcpay.cli;

import nfcpay.terminal.issuer.HttpIssuerHost;
import nfcpay.terminal.issuer.IssuerHost;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** --host and --token: the issuer host a command reaches (PROTOCOL.md 5), and this terminal's bearer token. */
final class HostOptions {

    /** Where the token comes from when --token is not given. */
    static final String TOKEN_VARIABLE = "NFCPAY_HOST_TOKEN";

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--host", paramLabel = "URL", description = "The issuer host, e.g. http://127.0.0.1:8080 (docs/host.md).")
    String host;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "This terminal's bearer token (nfcpay host token --terminal ID); default: $" + TOKEN_VARIABLE + ".")
    String token;

    boolean given() {
        return host != null;
    }

    /**
     * The issuer host of --host, or null without it.
     *
     * @throws ParameterException for --token without --host, no token at all, or a URL that is not http(s)
     */
    IssuerHost issuer(NfcpayCommand root) {
        if (host == null) {
            if (token != null) {
                throw new ParameterException(mixee.commandLine(), "--token needs --host URL");
            }
            return null;
        }
        String t = token != null ? token : root.environment().variables().get(TOKEN_VARIABLE);
        if (t == null || t.isBlank()) {
            throw new ParameterException(mixee.commandLine(), "give this terminal's token with --token or $" + TOKEN_VARIABLE);
        }
        try {
            return new HttpIssuerHost(host, t.strip());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), "--host: " + e.getMessage());
        }
    }
}
