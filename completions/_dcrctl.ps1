
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'dcrctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'dcrctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'dcrctl' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto colors a terminal unless NO_COLOR is set')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; implied when stdin is not a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('register', 'register', [CompletionResultType]::ParameterValue, 'Register a new client and print its credentials, once')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one client''s metadata and status (never a secret)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List clients, streamed (oldest first unless --sort)')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a client''s metadata')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete clients with their secrets and tokens')
            [CompletionResult]::new('rotate-secret', 'rotate-secret', [CompletionResultType]::ParameterValue, 'Issue a new client secret, printed once')
            [CompletionResult]::new('rotate-token', 'rotate-token', [CompletionResultType]::ParameterValue, 'Issue a new registration access token, printed once; the old one stops working')
            [CompletionResult]::new('verify-secret', 'verify-secret', [CompletionResultType]::ParameterValue, 'Check a client secret read from stdin (exit 0 valid, 6 rejected)')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Initial access tokens for dynamic registration (POST /register)')
            [CompletionResult]::new('admin', 'admin', [CompletionResultType]::ParameterValue, 'Accounts for HTTP Basic authentication to the registration API')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Delete expired, unused and stale records (for cron)')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Create, update (and with --prune delete) clients to match a JSON file')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print every client as the JSON that apply reads (never a secret)')
            [CompletionResult]::new('events', 'events', [CompletionResultType]::ParameterValue, 'Show the audit log, newest first')
            [CompletionResult]::new('db', 'db', [CompletionResultType]::ParameterValue, 'Check, back up or copy the registry database')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve the registration API (RFC 7591 / RFC 7592) over HTTP')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page as roff, or write one page per command')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dcrctl;register' {
            [CompletionResult]::new('--client-name', '--client-name', [CompletionResultType]::ParameterName, 'Human-readable client name (client_name)')
            [CompletionResult]::new('--redirect-uri', '--redirect-uri', [CompletionResultType]::ParameterName, 'A redirect URI (repeatable)')
            [CompletionResult]::new('--redirect-uris', '--redirect-uris', [CompletionResultType]::ParameterName, 'Several redirect URIs at once, as Django''s command takes them')
            [CompletionResult]::new('--grant-type', '--grant-type', [CompletionResultType]::ParameterName, 'A grant type (repeatable or comma-separated) [default: authorization_code]')
            [CompletionResult]::new('--response-type', '--response-type', [CompletionResultType]::ParameterName, 'A response type (repeatable or comma-separated) [default: implied by the grant types]')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'Space-separated scopes the client may request')
            [CompletionResult]::new('--token-endpoint-auth-method', '--token-endpoint-auth-method', [CompletionResultType]::ParameterName, 'How the client authenticates [default: client_secret_basic]')
            [CompletionResult]::new('--application-type', '--application-type', [CompletionResultType]::ParameterName, 'Kind of client; native apps follow the redirect rules of RFC 8252 [default: web]')
            [CompletionResult]::new('--contact', '--contact', [CompletionResultType]::ParameterName, 'A contact e-mail address (repeatable)')
            [CompletionResult]::new('--client-uri', '--client-uri', [CompletionResultType]::ParameterName, 'Home page of the client')
            [CompletionResult]::new('--logo-uri', '--logo-uri', [CompletionResultType]::ParameterName, 'Logo of the client')
            [CompletionResult]::new('--tos-uri', '--tos-uri', [CompletionResultType]::ParameterName, 'Terms of service')
            [CompletionResult]::new('--policy-uri', '--policy-uri', [CompletionResultType]::ParameterName, 'Privacy policy')
            [CompletionResult]::new('--jwks-uri', '--jwks-uri', [CompletionResultType]::ParameterName, 'URL of the client''s JSON Web Key Set')
            [CompletionResult]::new('--jwks-file', '--jwks-file', [CompletionResultType]::ParameterName, 'File holding the client''s JSON Web Key Set (jwks)')
            [CompletionResult]::new('--software-id', '--software-id', [CompletionResultType]::ParameterName, 'Identifier of the client software')
            [CompletionResult]::new('--software-version', '--software-version', [CompletionResultType]::ParameterName, 'Version of the client software')
            [CompletionResult]::new('--skip-authorization', '--skip-authorization', [CompletionResultType]::ParameterName, 'Let the authorization server skip the consent screen (true when given without a value)')
            [CompletionResult]::new('--metadata-file', '--metadata-file', [CompletionResultType]::ParameterName, 'RFC 7591 metadata document to start from (`-` = stdin); flags override its fields')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'Choose the client id instead of generating one (1-128 of A-Z a-z 0-9 . _ ~ -)')
            [CompletionResult]::new('--secret-expires-in', '--secret-expires-in', [CompletionResultType]::ParameterName, 'Lifetime of the secret, e.g. 90d [default: never expires]')
            [CompletionResult]::new('--secret-expires-at', '--secret-expires-at', [CompletionResultType]::ParameterName, 'When the secret expires: an RFC 3339 time or a date, in the future')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto colors a terminal unless NO_COLOR is set')
            [CompletionResult]::new('--client-secret-stdin', '--client-secret-stdin', [CompletionResultType]::ParameterName, 'Read the client secret from stdin instead of generating one (stored with Argon2id)')
            [CompletionResult]::new('--upsert', '--upsert', [CompletionResultType]::ParameterName, 'With --client-id: modify the client when it exists instead of failing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; implied when stdin is not a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dcrctl;show' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Find the client by its exact client_name instead')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto colors a terminal unless NO_COLOR is set')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; implied when stdin is not a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dcrctl;list' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Only clients whose client_name matches this shell glob (case-sensitive)')
            [CompletionResult]::new('--grant-type', '--grant-type', [CompletionResultType]::ParameterName, 'Only clients with this grant type')
            [CompletionResult]::new('--created-before', '--created-before', [CompletionResultType]::ParameterName, 'Only clients registered before this time, not at it (RFC 3339, a date, or a duration ago such as 7d)')
            [CompletionResult]::new('--created-after', '--created-after', [CompletionResultType]::ParameterName, 'Only clients registered at or after this time (RFC 3339, a date, or a duration ago such as 7d)')
            [CompletionResult]::new('--sort', '--sort', [CompletionResultType]::ParameterName, 'Order of the listing; ties in registration order')
            [CompletionResult]::new('--after', '--after', [CompletionResultType]::ParameterName, 'Only clients after this one in the listing''s order: the last id of the previous page, to resume a listing that changes meanwhile')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Print at most this many')
            [CompletionResult]::new('--offset', '--offset', [CompletionResultType]::ParameterName, 'Skip this many first')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto colors a terminal unless NO_COLOR is set')
            [CompletionResult]::new('--expired', '--expired', [CompletionResultType]::ParameterName, 'Only clients whose secret has expired')
            [CompletionResult]::new('--reverse', '--reverse', [CompletionResultType]::ParameterName, 'Largest first: the --sort order reversed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; implied when stdin is not a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dcrctl;update' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Find the client by its exact client_name instead of its id')
            [CompletionResult]::new('--client-name', '--client-name', [CompletionResultType]::ParameterName, 'Human-readable client name (client_name)')
            [CompletionResult]::new('--redirect-uri', '--redirect-uri', [CompletionResultType]::ParameterName, 'A redirect URI (repeatable)')
            [CompletionResult]::new('--redirect-uris', '--redirect-uris', [CompletionResultType]::ParameterName, 'Several redirect URIs at once, as Django''s command takes them')
            [CompletionResult]::new('--grant-type', '--grant-type', [CompletionResultType]::ParameterName, 'A grant type (repeatable or comma-separated) [default: authorization_code]')
            [CompletionResult]::new('--response-type', '--response-type', [CompletionResultType]::ParameterName, 'A response type (repeatable or comma-separated) [default: implied by the grant types]')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'Space-separated scopes the client may request')
            [CompletionResult]::new('--token-endpoint-auth-method', '--token-endpoint-auth-method', [CompletionResultType]::ParameterName, 'How the client authenticates [default: client_secret_basic]')
            [CompletionResult]::new('--application-type', '--application-type', [CompletionResultType]::ParameterName, 'Kind of client; native apps follow the redirect rules of RFC 8252 [default: web]')
            [CompletionResult]::new('--contact', '--contact', [CompletionResultType]::ParameterName, 'A contact e-mail address (repeatable)')
            [CompletionResult]::new('--client-uri', '--client-uri', [CompletionResultType]::ParameterName, 'Home page of the client')
            [CompletionResult]::new('--logo-uri', '--logo-uri', [CompletionResultType]::ParameterName, 'Logo of the client')
            [CompletionResult]::new('--tos-uri', '--tos-uri', [CompletionResultType]::ParameterName, 'Terms of service')
            [CompletionResult]::new('--policy-uri', '--policy-uri', [CompletionResultType]::ParameterName, 'Privacy policy')
            [CompletionResult]::new('--jwks-uri', '--jwks-uri', [CompletionResultType]::ParameterName, 'URL of the client''s JSON Web Key Set')
            [CompletionResult]::new('--jwks-file', '--jwks-file', [CompletionResultType]::ParameterName, 'File holding the client''s JSON Web Key Set (jwks)')
            [CompletionResult]::new('--software-id', '--software-id', [CompletionResultType]::ParameterName, 'Identifier of the client software')
            [CompletionResult]::new('--software-version', '--software-version', [CompletionResultType]::ParameterName, 'Version of the client software')
            [CompletionResult]::new('--skip-authorization', '--skip-authorization', [CompletionResultType]::ParameterName, 'Let the authorization server skip the consent screen (true when given without a value)')
            [CompletionResult]::new('--metadata-file', '--metadata-file', [CompletionResultType]::ParameterName, 'Metadata document (`-` = stdin) whose fields are set; with --replace, the whole new document')
            [CompletionResult]::new('--add-redirect-uri', '--add-redirect-uri', [CompletionResultType]::ParameterName, 'Add a redirect URI (repeatable)')
            [CompletionResult]::new('--remove-redirect-uri', '--remove-redirect-uri', [CompletionResultType]::ParameterName, 'Remove a redirect URI (repeatable)')
            [CompletionResult]::new('--unset', '--unset', [CompletionResultType]::ParameterName, 'Remove a field; fields with a default get it back (repeatable)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto colors a terminal unless NO_COLOR is set')
            [CompletionResult]::new('--replace', '--replace', [CompletionResultType]::ParameterName, 'Replace the whole document with --metadata-file (RFC 7592 PUT): fields it omits are removed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; implied when stdin is not a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dcrctl;delete' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Delete the client with exactly this client_name instead (one client; several with the name is an error listing their ids)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto colors a terminal unless NO_COLOR is set')
            [CompletionResult]::new('--ignore-missing', '--ignore-missing', [CompletionResultType]::ParameterName, 'Succeed when something named does not exist (or is already revoked) instead of exiting 3')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; implied when stdin is not a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dcrctl;rotate-secret' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Find the client by its exact client_name instead of its id')
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'Keep the previous secret valid this long, e.g. 1h, so deployments can roll over')
            [CompletionResult]::new('--secret-expires-in', '--secret-expires-in', [CompletionResultType]::ParameterName, 'Lifetime of the new secret, e.g. 90d [default: the current secret''s lifetime, or never]')
            [CompletionResult]::new('--secret-expires-at', '--secret-expires-at', [CompletionResultType]::ParameterName, 'When the new secret expires: an RFC 3339 time or a date, in the future')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto colors a terminal unless NO_COLOR is set')
            [CompletionResult]::new('--no-expiry', '--no-expiry', [CompletionResultType]::ParameterName, 'Let the new secret never expire, even if the current one has a lifetime')
            [CompletionResult]::new('--end-grace', '--end-grace', [CompletionResultType]::ParameterName, 'Issue no new secret: end the grace period of the previous ones now, so only the current secret works (`show` says until when they would have)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; implied when stdin is not a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dcrctl;rotate-token' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Find the client by its exact client_name instead of its id')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto colors a terminal unless NO_COLOR is set')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; implied when stdin is not a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dcrctl;verify-secret' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Find the client by its exact client_name instead of its id')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto colors a terminal unless NO_COLOR is set')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; implied when stdin is not a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dcrctl;token' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto colors a terminal unless NO_COLOR is set')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; implied when stdin is not a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Mint an initial access token, printed once')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List initial access tokens (never the tokens themselves)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke an initial access token by the id that list shows')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dcrctl;token;create' {
            [CompletionResult]::new('--expires-in', '--expires-in', [CompletionResultType]::ParameterName, 'Lifetime, e.g. 7d [default: never expires]')
            [CompletionResult]::new('--expires-at', '--expires-at', [CompletionResultType]::ParameterName, 'When the token expires: an RFC 3339 time or a date, in the future')
            [CompletionResult]::new('--max-uses', '--max-uses', [CompletionResultType]::ParameterName, 'How many registrations it allows, at least 1 [default: unlimited]')
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'What the token is for')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto colors a terminal unless NO_COLOR is set')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; implied when stdin is not a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dcrctl;token;list' {
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only tokens in this state now (repeatable or comma-separated)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto colors a terminal unless NO_COLOR is set')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; implied when stdin is not a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dcrctl;token;revoke' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto colors a terminal unless NO_COLOR is set')
            [CompletionResult]::new('--ignore-missing', '--ignore-missing', [CompletionResultType]::ParameterName, 'Succeed when something named does not exist (or is already revoked) instead of exiting 3')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; implied when stdin is not a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dcrctl;token;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Mint an initial access token, printed once')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List initial access tokens (never the tokens themselves)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke an initial access token by the id that list shows')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dcrctl;token;help;create' {
            break
        }
        'dcrctl;token;help;list' {
            break
        }
        'dcrctl;token;help;revoke' {
            break
        }
        'dcrctl;token;help;help' {
            break
        }
        'dcrctl;admin' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto colors a terminal unless NO_COLOR is set')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; implied when stdin is not a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add an account; the password (at least 12 characters) comes from a hidden prompt or --password-stdin')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List accounts (never passwords)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove an account')
            [CompletionResult]::new('passwd', 'passwd', [CompletionResultType]::ParameterValue, 'Change an account''s password (at least 12 characters)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dcrctl;admin;add' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto colors a terminal unless NO_COLOR is set')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from stdin (one trailing newline is stripped)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; implied when stdin is not a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dcrctl;admin;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto colors a terminal unless NO_COLOR is set')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; implied when stdin is not a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dcrctl;admin;remove' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto colors a terminal unless NO_COLOR is set')
            [CompletionResult]::new('--ignore-missing', '--ignore-missing', [CompletionResultType]::ParameterName, 'Succeed when something named does not exist (or is already revoked) instead of exiting 3')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; implied when stdin is not a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dcrctl;admin;passwd' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto colors a terminal unless NO_COLOR is set')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from stdin (one trailing newline is stripped)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; implied when stdin is not a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dcrctl;admin;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add an account; the password (at least 12 characters) comes from a hidden prompt or --password-stdin')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List accounts (never passwords)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove an account')
            [CompletionResult]::new('passwd', 'passwd', [CompletionResultType]::ParameterValue, 'Change an account''s password (at least 12 characters)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dcrctl;admin;help;add' {
            break
        }
        'dcrctl;admin;help;list' {
            break
        }
        'dcrctl;admin;help;remove' {
            break
        }
        'dcrctl;admin;help;passwd' {
            break
        }
        'dcrctl;admin;help;help' {
            break
        }
        'dcrctl;prune' {
            [CompletionResult]::new('--expired-for', '--expired-for', [CompletionResultType]::ParameterName, 'Delete clients whose secret expired more than this long ago, e.g. 30d')
            [CompletionResult]::new('--unused-for', '--unused-for', [CompletionResultType]::ParameterName, 'Delete clients registered over HTTP and unused for this long (never used: since registration)')
            [CompletionResult]::new('--keep-events', '--keep-events', [CompletionResultType]::ParameterName, 'Delete audit log entries older than this, e.g. 365d')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto colors a terminal unless NO_COLOR is set')
            [CompletionResult]::new('--include-provisioned', '--include-provisioned', [CompletionResultType]::ParameterName, 'With --unused-for, also consider clients registered with the CLI or apply')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'List what would be deleted without deleting it')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; implied when stdin is not a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dcrctl;apply' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto colors a terminal unless NO_COLOR is set')
            [CompletionResult]::new('--prune', '--prune', [CompletionResultType]::ParameterName, 'Also delete clients that are not in the file (asks for confirmation like delete)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change without changing anything (every line says "would …")')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; implied when stdin is not a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dcrctl;export' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto colors a terminal unless NO_COLOR is set')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; implied when stdin is not a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dcrctl;events' {
            [CompletionResult]::new('--client', '--client', [CompletionResultType]::ParameterName, 'Only events about this client')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after this time (RFC 3339, a date, or a duration ago such as 7d)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events before this time, not at it (RFC 3339, a date, or a duration ago)')
            [CompletionResult]::new('--action', '--action', [CompletionResultType]::ParameterName, 'Only events with this action, e.g. register, delete (repeatable or comma-separated)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many, newest first')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto colors a terminal unless NO_COLOR is set')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; implied when stdin is not a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dcrctl;db' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto colors a terminal unless NO_COLOR is set')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; implied when stdin is not a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check integrity, foreign keys and client rows (exit 1 on damage)')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Write a consistent copy of the database while others keep using it')
            [CompletionResult]::new('copy', 'copy', [CompletionResultType]::ParameterValue, 'Copy a whole registry into an empty database, on either backend')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dcrctl;db;check' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto colors a terminal unless NO_COLOR is set')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; implied when stdin is not a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dcrctl;db;backup' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto colors a terminal unless NO_COLOR is set')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; implied when stdin is not a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dcrctl;db;copy' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto colors a terminal unless NO_COLOR is set')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; implied when stdin is not a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dcrctl;db;help' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check integrity, foreign keys and client rows (exit 1 on damage)')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Write a consistent copy of the database while others keep using it')
            [CompletionResult]::new('copy', 'copy', [CompletionResultType]::ParameterValue, 'Copy a whole registry into an empty database, on either backend')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dcrctl;db;help;check' {
            break
        }
        'dcrctl;db;help;backup' {
            break
        }
        'dcrctl;db;help;copy' {
            break
        }
        'dcrctl;db;help;help' {
            break
        }
        'dcrctl;serve' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on (port 0 picks a free port)')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Serve HTTPS with this PEM certificate chain (leaf first); needs --tls-key')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'The PEM private key (PKCS#8, PKCS#1 or SEC1) of --tls-cert; needs --tls-cert')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'Public base URL of the registry, e.g. https://auth.example.com')
            [CompletionResult]::new('--path-prefix', '--path-prefix', [CompletionResultType]::ParameterName, 'Path under which the /register routes are served, e.g. /oauth')
            [CompletionResult]::new('--allowed-grant-types', '--allowed-grant-types', [CompletionResultType]::ParameterName, 'Grant types HTTP registrations may ask for (comma-separated; default: any)')
            [CompletionResult]::new('--allowed-response-types', '--allowed-response-types', [CompletionResultType]::ParameterName, 'Response types HTTP registrations may ask for (comma-separated; default: any)')
            [CompletionResult]::new('--allowed-auth-methods', '--allowed-auth-methods', [CompletionResultType]::ParameterName, 'token_endpoint_auth_method values HTTP registrations may ask for (comma-separated)')
            [CompletionResult]::new('--allowed-scopes', '--allowed-scopes', [CompletionResultType]::ParameterName, 'Scope tokens HTTP registrations may ask for (comma-separated; default: any)')
            [CompletionResult]::new('--secret-expires-in', '--secret-expires-in', [CompletionResultType]::ParameterName, 'Lifetime of client secrets issued over HTTP, e.g. 90d (default: never expire)')
            [CompletionResult]::new('--max-clients', '--max-clients', [CompletionResultType]::ParameterName, 'Refuse HTTP registrations (403) once the registry holds N clients, however registered')
            [CompletionResult]::new('--rate-limit', '--rate-limit', [CompletionResultType]::ParameterName, 'Per-address limit of registrations without a credential, e.g. 20/min or 100/1h')
            [CompletionResult]::new('--admin-failure-limit', '--admin-failure-limit', [CompletionResultType]::ParameterName, 'Per-address limit of failed admin (Basic) authentications, e.g. 10/min')
            [CompletionResult]::new('--as-metadata', '--as-metadata', [CompletionResultType]::ParameterName, 'The real authorization server''s RFC 8414 metadata (a JSON object), under which the discovery document is merged')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long one request (its body and its work) may take before it is answered 408')
            [CompletionResult]::new('--header-read-timeout', '--header-read-timeout', [CompletionResultType]::ParameterName, 'How long a client may take to send a request''s line and headers before its connection is closed (slow clients hold a socket and a file descriptor meanwhile)')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log lines as text for people, or as one JSON object per line for log shippers')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto colors a terminal unless NO_COLOR is set')
            [CompletionResult]::new('--behind-proxy', '--behind-proxy', [CompletionResultType]::ParameterName, 'A TLS-terminating reverse proxy is in front: allow a non-loopback --listen without TLS, and take the client''s address from X-Forwarded-For')
            [CompletionResult]::new('--open-registration', '--open-registration', [CompletionResultType]::ParameterName, 'Allow POST /register without an initial access token')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; implied when stdin is not a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dcrctl;completions' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto colors a terminal unless NO_COLOR is set')
            [CompletionResult]::new('--dynamic', '--dynamic', [CompletionResultType]::ParameterName, 'Print the script that asks dcrctl at each Tab, which also completes client ids from the database; source it at shell start-up rather than saving it, so it always matches the installed dcrctl')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; implied when stdin is not a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dcrctl;man' {
            [CompletionResult]::new('--out-dir', '--out-dir', [CompletionResultType]::ParameterName, 'Write one page per command into this folder instead of printing the main page')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output: auto colors a terminal unless NO_COLOR is set')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no notes or progress on stderr (errors and warnings still)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; implied when stdin is not a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'dcrctl;help' {
            [CompletionResult]::new('register', 'register', [CompletionResultType]::ParameterValue, 'Register a new client and print its credentials, once')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one client''s metadata and status (never a secret)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List clients, streamed (oldest first unless --sort)')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a client''s metadata')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete clients with their secrets and tokens')
            [CompletionResult]::new('rotate-secret', 'rotate-secret', [CompletionResultType]::ParameterValue, 'Issue a new client secret, printed once')
            [CompletionResult]::new('rotate-token', 'rotate-token', [CompletionResultType]::ParameterValue, 'Issue a new registration access token, printed once; the old one stops working')
            [CompletionResult]::new('verify-secret', 'verify-secret', [CompletionResultType]::ParameterValue, 'Check a client secret read from stdin (exit 0 valid, 6 rejected)')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Initial access tokens for dynamic registration (POST /register)')
            [CompletionResult]::new('admin', 'admin', [CompletionResultType]::ParameterValue, 'Accounts for HTTP Basic authentication to the registration API')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Delete expired, unused and stale records (for cron)')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Create, update (and with --prune delete) clients to match a JSON file')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print every client as the JSON that apply reads (never a secret)')
            [CompletionResult]::new('events', 'events', [CompletionResultType]::ParameterValue, 'Show the audit log, newest first')
            [CompletionResult]::new('db', 'db', [CompletionResultType]::ParameterValue, 'Check, back up or copy the registry database')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve the registration API (RFC 7591 / RFC 7592) over HTTP')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page as roff, or write one page per command')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dcrctl;help;register' {
            break
        }
        'dcrctl;help;show' {
            break
        }
        'dcrctl;help;list' {
            break
        }
        'dcrctl;help;update' {
            break
        }
        'dcrctl;help;delete' {
            break
        }
        'dcrctl;help;rotate-secret' {
            break
        }
        'dcrctl;help;rotate-token' {
            break
        }
        'dcrctl;help;verify-secret' {
            break
        }
        'dcrctl;help;token' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Mint an initial access token, printed once')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List initial access tokens (never the tokens themselves)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke an initial access token by the id that list shows')
            break
        }
        'dcrctl;help;token;create' {
            break
        }
        'dcrctl;help;token;list' {
            break
        }
        'dcrctl;help;token;revoke' {
            break
        }
        'dcrctl;help;admin' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add an account; the password (at least 12 characters) comes from a hidden prompt or --password-stdin')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List accounts (never passwords)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove an account')
            [CompletionResult]::new('passwd', 'passwd', [CompletionResultType]::ParameterValue, 'Change an account''s password (at least 12 characters)')
            break
        }
        'dcrctl;help;admin;add' {
            break
        }
        'dcrctl;help;admin;list' {
            break
        }
        'dcrctl;help;admin;remove' {
            break
        }
        'dcrctl;help;admin;passwd' {
            break
        }
        'dcrctl;help;prune' {
            break
        }
        'dcrctl;help;apply' {
            break
        }
        'dcrctl;help;export' {
            break
        }
        'dcrctl;help;events' {
            break
        }
        'dcrctl;help;db' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check integrity, foreign keys and client rows (exit 1 on damage)')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Write a consistent copy of the database while others keep using it')
            [CompletionResult]::new('copy', 'copy', [CompletionResultType]::ParameterValue, 'Copy a whole registry into an empty database, on either backend')
            break
        }
        'dcrctl;help;db;check' {
            break
        }
        'dcrctl;help;db;backup' {
            break
        }
        'dcrctl;help;db;copy' {
            break
        }
        'dcrctl;help;serve' {
            break
        }
        'dcrctl;help;completions' {
            break
        }
        'dcrctl;help;man' {
            break
        }
        'dcrctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
