authentication {
    rest {
        bearer {
            implementation {
                request.header("Authorization", "token " + decrypt(configuration.restTokenValue))
            }
        }
        apiKey {
            implementation {
                request.queryParameter("access_token", decrypt(configuration.restApiKey))
            }
        }
        oauth2ClientCredentials { oauth2Context ->
            // Built-in token handling; configure restOAuth2TokenUrl, restOAuth2ClientId, restOAuth2ClientSecret.
            // Documented token URL: https://example.com/oauth/token
        }
        // login (session): the runtime has no built-in method of this type; it needs a custom connector.
        // cookie after POST /login
        preference bearer, apiKey, oauth2ClientCredentials
    }
}
