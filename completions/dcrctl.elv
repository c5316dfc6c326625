
use builtin;
use str;

set edit:completion:arg-completer[dcrctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'dcrctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'dcrctl'= {
            cand --db 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --field 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)'
            cand --color 'When to color output: auto colors a terminal unless NO_COLOR is set'
            cand -q 'Print no notes or progress on stderr (errors and warnings still)'
            cand --quiet 'Print no notes or progress on stderr (errors and warnings still)'
            cand -y 'Answer yes to every confirmation'
            cand --yes 'Answer yes to every confirmation'
            cand --no-input 'Never prompt; implied when stdin is not a terminal'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand register 'Register a new client and print its credentials, once'
            cand show 'Show one client''s metadata and status (never a secret)'
            cand list 'List clients, streamed (oldest first unless --sort)'
            cand update 'Change a client''s metadata'
            cand delete 'Delete clients with their secrets and tokens'
            cand rotate-secret 'Issue a new client secret, printed once'
            cand rotate-token 'Issue a new registration access token, printed once; the old one stops working'
            cand verify-secret 'Check a client secret read from stdin (exit 0 valid, 6 rejected)'
            cand token 'Initial access tokens for dynamic registration (POST /register)'
            cand admin 'Accounts for HTTP Basic authentication to the registration API'
            cand prune 'Delete expired, unused and stale records (for cron)'
            cand apply 'Create, update (and with --prune delete) clients to match a JSON file'
            cand export 'Print every client as the JSON that apply reads (never a secret)'
            cand events 'Show the audit log, newest first'
            cand db 'Check, back up or copy the registry database'
            cand serve 'Serve the registration API (RFC 7591 / RFC 7592) over HTTP'
            cand completions 'Print a shell completion script'
            cand man 'Print the man page as roff, or write one page per command'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dcrctl;register'= {
            cand --client-name 'Human-readable client name (client_name)'
            cand --redirect-uri 'A redirect URI (repeatable)'
            cand --redirect-uris 'Several redirect URIs at once, as Django''s command takes them'
            cand --grant-type 'A grant type (repeatable or comma-separated) [default: authorization_code]'
            cand --response-type 'A response type (repeatable or comma-separated) [default: implied by the grant types]'
            cand --scope 'Space-separated scopes the client may request'
            cand --token-endpoint-auth-method 'How the client authenticates [default: client_secret_basic]'
            cand --application-type 'Kind of client; native apps follow the redirect rules of RFC 8252 [default: web]'
            cand --contact 'A contact e-mail address (repeatable)'
            cand --client-uri 'Home page of the client'
            cand --logo-uri 'Logo of the client'
            cand --tos-uri 'Terms of service'
            cand --policy-uri 'Privacy policy'
            cand --jwks-uri 'URL of the client''s JSON Web Key Set'
            cand --jwks-file 'File holding the client''s JSON Web Key Set (jwks)'
            cand --software-id 'Identifier of the client software'
            cand --software-version 'Version of the client software'
            cand --skip-authorization 'Let the authorization server skip the consent screen (true when given without a value)'
            cand --metadata-file 'RFC 7591 metadata document to start from (`-` = stdin); flags override its fields'
            cand --client-id 'Choose the client id instead of generating one (1-128 of A-Z a-z 0-9 . _ ~ -)'
            cand --secret-expires-in 'Lifetime of the secret, e.g. 90d [default: never expires]'
            cand --secret-expires-at 'When the secret expires: an RFC 3339 time or a date, in the future'
            cand --db 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --field 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)'
            cand --color 'When to color output: auto colors a terminal unless NO_COLOR is set'
            cand --client-secret-stdin 'Read the client secret from stdin instead of generating one (stored with Argon2id)'
            cand --upsert 'With --client-id: modify the client when it exists instead of failing'
            cand -q 'Print no notes or progress on stderr (errors and warnings still)'
            cand --quiet 'Print no notes or progress on stderr (errors and warnings still)'
            cand -y 'Answer yes to every confirmation'
            cand --yes 'Answer yes to every confirmation'
            cand --no-input 'Never prompt; implied when stdin is not a terminal'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dcrctl;show'= {
            cand --name 'Find the client by its exact client_name instead'
            cand --db 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --field 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)'
            cand --color 'When to color output: auto colors a terminal unless NO_COLOR is set'
            cand -q 'Print no notes or progress on stderr (errors and warnings still)'
            cand --quiet 'Print no notes or progress on stderr (errors and warnings still)'
            cand -y 'Answer yes to every confirmation'
            cand --yes 'Answer yes to every confirmation'
            cand --no-input 'Never prompt; implied when stdin is not a terminal'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dcrctl;list'= {
            cand --name 'Only clients whose client_name matches this shell glob (case-sensitive)'
            cand --grant-type 'Only clients with this grant type'
            cand --created-before 'Only clients registered before this time, not at it (RFC 3339, a date, or a duration ago such as 7d)'
            cand --created-after 'Only clients registered at or after this time (RFC 3339, a date, or a duration ago such as 7d)'
            cand --sort 'Order of the listing; ties in registration order'
            cand --after 'Only clients after this one in the listing''s order: the last id of the previous page, to resume a listing that changes meanwhile'
            cand --limit 'Print at most this many'
            cand --offset 'Skip this many first'
            cand --db 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --field 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)'
            cand --color 'When to color output: auto colors a terminal unless NO_COLOR is set'
            cand --expired 'Only clients whose secret has expired'
            cand --reverse 'Largest first: the --sort order reversed'
            cand -q 'Print no notes or progress on stderr (errors and warnings still)'
            cand --quiet 'Print no notes or progress on stderr (errors and warnings still)'
            cand -y 'Answer yes to every confirmation'
            cand --yes 'Answer yes to every confirmation'
            cand --no-input 'Never prompt; implied when stdin is not a terminal'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dcrctl;update'= {
            cand --name 'Find the client by its exact client_name instead of its id'
            cand --client-name 'Human-readable client name (client_name)'
            cand --redirect-uri 'A redirect URI (repeatable)'
            cand --redirect-uris 'Several redirect URIs at once, as Django''s command takes them'
            cand --grant-type 'A grant type (repeatable or comma-separated) [default: authorization_code]'
            cand --response-type 'A response type (repeatable or comma-separated) [default: implied by the grant types]'
            cand --scope 'Space-separated scopes the client may request'
            cand --token-endpoint-auth-method 'How the client authenticates [default: client_secret_basic]'
            cand --application-type 'Kind of client; native apps follow the redirect rules of RFC 8252 [default: web]'
            cand --contact 'A contact e-mail address (repeatable)'
            cand --client-uri 'Home page of the client'
            cand --logo-uri 'Logo of the client'
            cand --tos-uri 'Terms of service'
            cand --policy-uri 'Privacy policy'
            cand --jwks-uri 'URL of the client''s JSON Web Key Set'
            cand --jwks-file 'File holding the client''s JSON Web Key Set (jwks)'
            cand --software-id 'Identifier of the client software'
            cand --software-version 'Version of the client software'
            cand --skip-authorization 'Let the authorization server skip the consent screen (true when given without a value)'
            cand --metadata-file 'Metadata document (`-` = stdin) whose fields are set; with --replace, the whole new document'
            cand --add-redirect-uri 'Add a redirect URI (repeatable)'
            cand --remove-redirect-uri 'Remove a redirect URI (repeatable)'
            cand --unset 'Remove a field; fields with a default get it back (repeatable)'
            cand --db 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --field 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)'
            cand --color 'When to color output: auto colors a terminal unless NO_COLOR is set'
            cand --replace 'Replace the whole document with --metadata-file (RFC 7592 PUT): fields it omits are removed'
            cand -q 'Print no notes or progress on stderr (errors and warnings still)'
            cand --quiet 'Print no notes or progress on stderr (errors and warnings still)'
            cand -y 'Answer yes to every confirmation'
            cand --yes 'Answer yes to every confirmation'
            cand --no-input 'Never prompt; implied when stdin is not a terminal'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dcrctl;delete'= {
            cand --name 'Delete the client with exactly this client_name instead (one client; several with the name is an error listing their ids)'
            cand --db 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --field 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)'
            cand --color 'When to color output: auto colors a terminal unless NO_COLOR is set'
            cand --ignore-missing 'Succeed when something named does not exist (or is already revoked) instead of exiting 3'
            cand -q 'Print no notes or progress on stderr (errors and warnings still)'
            cand --quiet 'Print no notes or progress on stderr (errors and warnings still)'
            cand -y 'Answer yes to every confirmation'
            cand --yes 'Answer yes to every confirmation'
            cand --no-input 'Never prompt; implied when stdin is not a terminal'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dcrctl;rotate-secret'= {
            cand --name 'Find the client by its exact client_name instead of its id'
            cand --grace 'Keep the previous secret valid this long, e.g. 1h, so deployments can roll over'
            cand --secret-expires-in 'Lifetime of the new secret, e.g. 90d [default: the current secret''s lifetime, or never]'
            cand --secret-expires-at 'When the new secret expires: an RFC 3339 time or a date, in the future'
            cand --db 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --field 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)'
            cand --color 'When to color output: auto colors a terminal unless NO_COLOR is set'
            cand --no-expiry 'Let the new secret never expire, even if the current one has a lifetime'
            cand --end-grace 'Issue no new secret: end the grace period of the previous ones now, so only the current secret works (`show` says until when they would have)'
            cand -q 'Print no notes or progress on stderr (errors and warnings still)'
            cand --quiet 'Print no notes or progress on stderr (errors and warnings still)'
            cand -y 'Answer yes to every confirmation'
            cand --yes 'Answer yes to every confirmation'
            cand --no-input 'Never prompt; implied when stdin is not a terminal'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dcrctl;rotate-token'= {
            cand --name 'Find the client by its exact client_name instead of its id'
            cand --db 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --field 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)'
            cand --color 'When to color output: auto colors a terminal unless NO_COLOR is set'
            cand -q 'Print no notes or progress on stderr (errors and warnings still)'
            cand --quiet 'Print no notes or progress on stderr (errors and warnings still)'
            cand -y 'Answer yes to every confirmation'
            cand --yes 'Answer yes to every confirmation'
            cand --no-input 'Never prompt; implied when stdin is not a terminal'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dcrctl;verify-secret'= {
            cand --name 'Find the client by its exact client_name instead of its id'
            cand --db 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --field 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)'
            cand --color 'When to color output: auto colors a terminal unless NO_COLOR is set'
            cand -q 'Print no notes or progress on stderr (errors and warnings still)'
            cand --quiet 'Print no notes or progress on stderr (errors and warnings still)'
            cand -y 'Answer yes to every confirmation'
            cand --yes 'Answer yes to every confirmation'
            cand --no-input 'Never prompt; implied when stdin is not a terminal'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dcrctl;token'= {
            cand --db 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --field 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)'
            cand --color 'When to color output: auto colors a terminal unless NO_COLOR is set'
            cand -q 'Print no notes or progress on stderr (errors and warnings still)'
            cand --quiet 'Print no notes or progress on stderr (errors and warnings still)'
            cand -y 'Answer yes to every confirmation'
            cand --yes 'Answer yes to every confirmation'
            cand --no-input 'Never prompt; implied when stdin is not a terminal'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Mint an initial access token, printed once'
            cand list 'List initial access tokens (never the tokens themselves)'
            cand revoke 'Revoke an initial access token by the id that list shows'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dcrctl;token;create'= {
            cand --expires-in 'Lifetime, e.g. 7d [default: never expires]'
            cand --expires-at 'When the token expires: an RFC 3339 time or a date, in the future'
            cand --max-uses 'How many registrations it allows, at least 1 [default: unlimited]'
            cand --note 'What the token is for'
            cand --db 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --field 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)'
            cand --color 'When to color output: auto colors a terminal unless NO_COLOR is set'
            cand -q 'Print no notes or progress on stderr (errors and warnings still)'
            cand --quiet 'Print no notes or progress on stderr (errors and warnings still)'
            cand -y 'Answer yes to every confirmation'
            cand --yes 'Answer yes to every confirmation'
            cand --no-input 'Never prompt; implied when stdin is not a terminal'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dcrctl;token;list'= {
            cand --status 'Only tokens in this state now (repeatable or comma-separated)'
            cand --db 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --field 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)'
            cand --color 'When to color output: auto colors a terminal unless NO_COLOR is set'
            cand -q 'Print no notes or progress on stderr (errors and warnings still)'
            cand --quiet 'Print no notes or progress on stderr (errors and warnings still)'
            cand -y 'Answer yes to every confirmation'
            cand --yes 'Answer yes to every confirmation'
            cand --no-input 'Never prompt; implied when stdin is not a terminal'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dcrctl;token;revoke'= {
            cand --db 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --field 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)'
            cand --color 'When to color output: auto colors a terminal unless NO_COLOR is set'
            cand --ignore-missing 'Succeed when something named does not exist (or is already revoked) instead of exiting 3'
            cand -q 'Print no notes or progress on stderr (errors and warnings still)'
            cand --quiet 'Print no notes or progress on stderr (errors and warnings still)'
            cand -y 'Answer yes to every confirmation'
            cand --yes 'Answer yes to every confirmation'
            cand --no-input 'Never prompt; implied when stdin is not a terminal'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dcrctl;token;help'= {
            cand create 'Mint an initial access token, printed once'
            cand list 'List initial access tokens (never the tokens themselves)'
            cand revoke 'Revoke an initial access token by the id that list shows'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dcrctl;token;help;create'= {
        }
        &'dcrctl;token;help;list'= {
        }
        &'dcrctl;token;help;revoke'= {
        }
        &'dcrctl;token;help;help'= {
        }
        &'dcrctl;admin'= {
            cand --db 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --field 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)'
            cand --color 'When to color output: auto colors a terminal unless NO_COLOR is set'
            cand -q 'Print no notes or progress on stderr (errors and warnings still)'
            cand --quiet 'Print no notes or progress on stderr (errors and warnings still)'
            cand -y 'Answer yes to every confirmation'
            cand --yes 'Answer yes to every confirmation'
            cand --no-input 'Never prompt; implied when stdin is not a terminal'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Add an account; the password (at least 12 characters) comes from a hidden prompt or --password-stdin'
            cand list 'List accounts (never passwords)'
            cand remove 'Remove an account'
            cand passwd 'Change an account''s password (at least 12 characters)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dcrctl;admin;add'= {
            cand --db 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --field 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)'
            cand --color 'When to color output: auto colors a terminal unless NO_COLOR is set'
            cand --password-stdin 'Read the password from stdin (one trailing newline is stripped)'
            cand -q 'Print no notes or progress on stderr (errors and warnings still)'
            cand --quiet 'Print no notes or progress on stderr (errors and warnings still)'
            cand -y 'Answer yes to every confirmation'
            cand --yes 'Answer yes to every confirmation'
            cand --no-input 'Never prompt; implied when stdin is not a terminal'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dcrctl;admin;list'= {
            cand --db 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --field 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)'
            cand --color 'When to color output: auto colors a terminal unless NO_COLOR is set'
            cand -q 'Print no notes or progress on stderr (errors and warnings still)'
            cand --quiet 'Print no notes or progress on stderr (errors and warnings still)'
            cand -y 'Answer yes to every confirmation'
            cand --yes 'Answer yes to every confirmation'
            cand --no-input 'Never prompt; implied when stdin is not a terminal'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dcrctl;admin;remove'= {
            cand --db 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --field 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)'
            cand --color 'When to color output: auto colors a terminal unless NO_COLOR is set'
            cand --ignore-missing 'Succeed when something named does not exist (or is already revoked) instead of exiting 3'
            cand -q 'Print no notes or progress on stderr (errors and warnings still)'
            cand --quiet 'Print no notes or progress on stderr (errors and warnings still)'
            cand -y 'Answer yes to every confirmation'
            cand --yes 'Answer yes to every confirmation'
            cand --no-input 'Never prompt; implied when stdin is not a terminal'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dcrctl;admin;passwd'= {
            cand --db 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --field 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)'
            cand --color 'When to color output: auto colors a terminal unless NO_COLOR is set'
            cand --password-stdin 'Read the password from stdin (one trailing newline is stripped)'
            cand -q 'Print no notes or progress on stderr (errors and warnings still)'
            cand --quiet 'Print no notes or progress on stderr (errors and warnings still)'
            cand -y 'Answer yes to every confirmation'
            cand --yes 'Answer yes to every confirmation'
            cand --no-input 'Never prompt; implied when stdin is not a terminal'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dcrctl;admin;help'= {
            cand add 'Add an account; the password (at least 12 characters) comes from a hidden prompt or --password-stdin'
            cand list 'List accounts (never passwords)'
            cand remove 'Remove an account'
            cand passwd 'Change an account''s password (at least 12 characters)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dcrctl;admin;help;add'= {
        }
        &'dcrctl;admin;help;list'= {
        }
        &'dcrctl;admin;help;remove'= {
        }
        &'dcrctl;admin;help;passwd'= {
        }
        &'dcrctl;admin;help;help'= {
        }
        &'dcrctl;prune'= {
            cand --expired-for 'Delete clients whose secret expired more than this long ago, e.g. 30d'
            cand --unused-for 'Delete clients registered over HTTP and unused for this long (never used: since registration)'
            cand --keep-events 'Delete audit log entries older than this, e.g. 365d'
            cand --db 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --field 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)'
            cand --color 'When to color output: auto colors a terminal unless NO_COLOR is set'
            cand --include-provisioned 'With --unused-for, also consider clients registered with the CLI or apply'
            cand --dry-run 'List what would be deleted without deleting it'
            cand -q 'Print no notes or progress on stderr (errors and warnings still)'
            cand --quiet 'Print no notes or progress on stderr (errors and warnings still)'
            cand -y 'Answer yes to every confirmation'
            cand --yes 'Answer yes to every confirmation'
            cand --no-input 'Never prompt; implied when stdin is not a terminal'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dcrctl;apply'= {
            cand --db 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --field 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)'
            cand --color 'When to color output: auto colors a terminal unless NO_COLOR is set'
            cand --prune 'Also delete clients that are not in the file (asks for confirmation like delete)'
            cand --dry-run 'Show what would change without changing anything (every line says "would …")'
            cand -q 'Print no notes or progress on stderr (errors and warnings still)'
            cand --quiet 'Print no notes or progress on stderr (errors and warnings still)'
            cand -y 'Answer yes to every confirmation'
            cand --yes 'Answer yes to every confirmation'
            cand --no-input 'Never prompt; implied when stdin is not a terminal'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dcrctl;export'= {
            cand --db 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --field 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)'
            cand --color 'When to color output: auto colors a terminal unless NO_COLOR is set'
            cand -q 'Print no notes or progress on stderr (errors and warnings still)'
            cand --quiet 'Print no notes or progress on stderr (errors and warnings still)'
            cand -y 'Answer yes to every confirmation'
            cand --yes 'Answer yes to every confirmation'
            cand --no-input 'Never prompt; implied when stdin is not a terminal'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dcrctl;events'= {
            cand --client 'Only events about this client'
            cand --since 'Only events at or after this time (RFC 3339, a date, or a duration ago such as 7d)'
            cand --until 'Only events before this time, not at it (RFC 3339, a date, or a duration ago)'
            cand --action 'Only events with this action, e.g. register, delete (repeatable or comma-separated)'
            cand --limit 'At most this many, newest first'
            cand --db 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --field 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)'
            cand --color 'When to color output: auto colors a terminal unless NO_COLOR is set'
            cand -q 'Print no notes or progress on stderr (errors and warnings still)'
            cand --quiet 'Print no notes or progress on stderr (errors and warnings still)'
            cand -y 'Answer yes to every confirmation'
            cand --yes 'Answer yes to every confirmation'
            cand --no-input 'Never prompt; implied when stdin is not a terminal'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dcrctl;db'= {
            cand --db 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --field 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)'
            cand --color 'When to color output: auto colors a terminal unless NO_COLOR is set'
            cand -q 'Print no notes or progress on stderr (errors and warnings still)'
            cand --quiet 'Print no notes or progress on stderr (errors and warnings still)'
            cand -y 'Answer yes to every confirmation'
            cand --yes 'Answer yes to every confirmation'
            cand --no-input 'Never prompt; implied when stdin is not a terminal'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand check 'Check integrity, foreign keys and client rows (exit 1 on damage)'
            cand backup 'Write a consistent copy of the database while others keep using it'
            cand copy 'Copy a whole registry into an empty database, on either backend'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dcrctl;db;check'= {
            cand --db 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --field 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)'
            cand --color 'When to color output: auto colors a terminal unless NO_COLOR is set'
            cand -q 'Print no notes or progress on stderr (errors and warnings still)'
            cand --quiet 'Print no notes or progress on stderr (errors and warnings still)'
            cand -y 'Answer yes to every confirmation'
            cand --yes 'Answer yes to every confirmation'
            cand --no-input 'Never prompt; implied when stdin is not a terminal'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dcrctl;db;backup'= {
            cand --db 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --field 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)'
            cand --color 'When to color output: auto colors a terminal unless NO_COLOR is set'
            cand -q 'Print no notes or progress on stderr (errors and warnings still)'
            cand --quiet 'Print no notes or progress on stderr (errors and warnings still)'
            cand -y 'Answer yes to every confirmation'
            cand --yes 'Answer yes to every confirmation'
            cand --no-input 'Never prompt; implied when stdin is not a terminal'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dcrctl;db;copy'= {
            cand --db 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --field 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)'
            cand --color 'When to color output: auto colors a terminal unless NO_COLOR is set'
            cand -q 'Print no notes or progress on stderr (errors and warnings still)'
            cand --quiet 'Print no notes or progress on stderr (errors and warnings still)'
            cand -y 'Answer yes to every confirmation'
            cand --yes 'Answer yes to every confirmation'
            cand --no-input 'Never prompt; implied when stdin is not a terminal'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dcrctl;db;help'= {
            cand check 'Check integrity, foreign keys and client rows (exit 1 on damage)'
            cand backup 'Write a consistent copy of the database while others keep using it'
            cand copy 'Copy a whole registry into an empty database, on either backend'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dcrctl;db;help;check'= {
        }
        &'dcrctl;db;help;backup'= {
        }
        &'dcrctl;db;help;copy'= {
        }
        &'dcrctl;db;help;help'= {
        }
        &'dcrctl;serve'= {
            cand --listen 'Address to listen on (port 0 picks a free port)'
            cand --tls-cert 'Serve HTTPS with this PEM certificate chain (leaf first); needs --tls-key'
            cand --tls-key 'The PEM private key (PKCS#8, PKCS#1 or SEC1) of --tls-cert; needs --tls-cert'
            cand --issuer 'Public base URL of the registry, e.g. https://auth.example.com'
            cand --path-prefix 'Path under which the /register routes are served, e.g. /oauth'
            cand --allowed-grant-types 'Grant types HTTP registrations may ask for (comma-separated; default: any)'
            cand --allowed-response-types 'Response types HTTP registrations may ask for (comma-separated; default: any)'
            cand --allowed-auth-methods 'token_endpoint_auth_method values HTTP registrations may ask for (comma-separated)'
            cand --allowed-scopes 'Scope tokens HTTP registrations may ask for (comma-separated; default: any)'
            cand --secret-expires-in 'Lifetime of client secrets issued over HTTP, e.g. 90d (default: never expire)'
            cand --max-clients 'Refuse HTTP registrations (403) once the registry holds N clients, however registered'
            cand --rate-limit 'Per-address limit of registrations without a credential, e.g. 20/min or 100/1h'
            cand --admin-failure-limit 'Per-address limit of failed admin (Basic) authentications, e.g. 10/min'
            cand --as-metadata 'The real authorization server''s RFC 8414 metadata (a JSON object), under which the discovery document is merged'
            cand --request-timeout 'How long one request (its body and its work) may take before it is answered 408'
            cand --header-read-timeout 'How long a client may take to send a request''s line and headers before its connection is closed (slow clients hold a socket and a file descriptor meanwhile)'
            cand --log-format 'Log lines as text for people, or as one JSON object per line for log shippers'
            cand --db 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --field 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)'
            cand --color 'When to color output: auto colors a terminal unless NO_COLOR is set'
            cand --behind-proxy 'A TLS-terminating reverse proxy is in front: allow a non-loopback --listen without TLS, and take the client''s address from X-Forwarded-For'
            cand --open-registration 'Allow POST /register without an initial access token'
            cand -q 'Print no notes or progress on stderr (errors and warnings still)'
            cand --quiet 'Print no notes or progress on stderr (errors and warnings still)'
            cand -y 'Answer yes to every confirmation'
            cand --yes 'Answer yes to every confirmation'
            cand --no-input 'Never prompt; implied when stdin is not a terminal'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dcrctl;completions'= {
            cand --db 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --field 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)'
            cand --color 'When to color output: auto colors a terminal unless NO_COLOR is set'
            cand --dynamic 'Print the script that asks dcrctl at each Tab, which also completes client ids from the database; source it at shell start-up rather than saving it, so it always matches the installed dcrctl'
            cand -q 'Print no notes or progress on stderr (errors and warnings still)'
            cand --quiet 'Print no notes or progress on stderr (errors and warnings still)'
            cand -y 'Answer yes to every confirmation'
            cand --yes 'Answer yes to every confirmation'
            cand --no-input 'Never prompt; implied when stdin is not a terminal'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dcrctl;man'= {
            cand --out-dir 'Write one page per command into this folder instead of printing the main page'
            cand --db 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --field 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)'
            cand --color 'When to color output: auto colors a terminal unless NO_COLOR is set'
            cand -q 'Print no notes or progress on stderr (errors and warnings still)'
            cand --quiet 'Print no notes or progress on stderr (errors and warnings still)'
            cand -y 'Answer yes to every confirmation'
            cand --yes 'Answer yes to every confirmation'
            cand --no-input 'Never prompt; implied when stdin is not a terminal'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'dcrctl;help'= {
            cand register 'Register a new client and print its credentials, once'
            cand show 'Show one client''s metadata and status (never a secret)'
            cand list 'List clients, streamed (oldest first unless --sort)'
            cand update 'Change a client''s metadata'
            cand delete 'Delete clients with their secrets and tokens'
            cand rotate-secret 'Issue a new client secret, printed once'
            cand rotate-token 'Issue a new registration access token, printed once; the old one stops working'
            cand verify-secret 'Check a client secret read from stdin (exit 0 valid, 6 rejected)'
            cand token 'Initial access tokens for dynamic registration (POST /register)'
            cand admin 'Accounts for HTTP Basic authentication to the registration API'
            cand prune 'Delete expired, unused and stale records (for cron)'
            cand apply 'Create, update (and with --prune delete) clients to match a JSON file'
            cand export 'Print every client as the JSON that apply reads (never a secret)'
            cand events 'Show the audit log, newest first'
            cand db 'Check, back up or copy the registry database'
            cand serve 'Serve the registration API (RFC 7591 / RFC 7592) over HTTP'
            cand completions 'Print a shell completion script'
            cand man 'Print the man page as roff, or write one page per command'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dcrctl;help;register'= {
        }
        &'dcrctl;help;show'= {
        }
        &'dcrctl;help;list'= {
        }
        &'dcrctl;help;update'= {
        }
        &'dcrctl;help;delete'= {
        }
        &'dcrctl;help;rotate-secret'= {
        }
        &'dcrctl;help;rotate-token'= {
        }
        &'dcrctl;help;verify-secret'= {
        }
        &'dcrctl;help;token'= {
            cand create 'Mint an initial access token, printed once'
            cand list 'List initial access tokens (never the tokens themselves)'
            cand revoke 'Revoke an initial access token by the id that list shows'
        }
        &'dcrctl;help;token;create'= {
        }
        &'dcrctl;help;token;list'= {
        }
        &'dcrctl;help;token;revoke'= {
        }
        &'dcrctl;help;admin'= {
            cand add 'Add an account; the password (at least 12 characters) comes from a hidden prompt or --password-stdin'
            cand list 'List accounts (never passwords)'
            cand remove 'Remove an account'
            cand passwd 'Change an account''s password (at least 12 characters)'
        }
        &'dcrctl;help;admin;add'= {
        }
        &'dcrctl;help;admin;list'= {
        }
        &'dcrctl;help;admin;remove'= {
        }
        &'dcrctl;help;admin;passwd'= {
        }
        &'dcrctl;help;prune'= {
        }
        &'dcrctl;help;apply'= {
        }
        &'dcrctl;help;export'= {
        }
        &'dcrctl;help;events'= {
        }
        &'dcrctl;help;db'= {
            cand check 'Check integrity, foreign keys and client rows (exit 1 on damage)'
            cand backup 'Write a consistent copy of the database while others keep using it'
            cand copy 'Copy a whole registry into an empty database, on either backend'
        }
        &'dcrctl;help;db;check'= {
        }
        &'dcrctl;help;db;backup'= {
        }
        &'dcrctl;help;db;copy'= {
        }
        &'dcrctl;help;serve'= {
        }
        &'dcrctl;help;completions'= {
        }
        &'dcrctl;help;man'= {
        }
        &'dcrctl;help;help'= {
        }
    ]
    $completions[$command]
}
