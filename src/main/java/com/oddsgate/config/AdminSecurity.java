package com.oddsgate.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The operator's side: Hawtio and Jolokia (JMX over HTTP) need the configured admin user (HTTP
 * Basic). Everything else is left to its own guard — the bearer token on {@code /api}, the
 * relay's policy — so CSRF and sessions are off.
 */
@Configuration(proxyBeanMethods = false)
public class AdminSecurity implements WebMvcConfigurer {

    static final String[] ADMIN_PATHS = {"/hawtio", "/hawtio/**", "/actuator/hawtio/**", "/actuator/jolokia/**"};

    @Bean
    SecurityFilterChain adminOnly(HttpSecurity http) throws Exception {
        http.csrf(c -> c.disable())
                .authorizeHttpRequests(a -> a.requestMatchers(ADMIN_PATHS).hasRole("ADMIN").anyRequest().permitAll())
                .httpBasic(Customizer.withDefaults())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .headers(h -> {
                    // Hawtio renders parts of itself in frames from the same origin.
                    h.frameOptions(f -> f.sameOrigin());
                    // Written before the request goes on, never after the chain returns: an /api answer is written by a
                    // Camel thread (async), and Tomcat's response headers are not thread-safe — written from both threads
                    // at once they were corrupted, and the answer lost (seen once under the fault schedule).
                    h.addObjectPostProcessor(new ObjectPostProcessor<HeaderWriterFilter>() {
                        @Override
                        public <O extends HeaderWriterFilter> O postProcess(O filter) {
                            filter.setShouldWriteHeadersEagerly(true);
                            return filter;
                        }
                    });
                });
        return http.build();
    }

    @Bean
    UserDetailsService admins(OddsgateProperties settings) {
        String user = settings.admin().user();
        String password = settings.admin().password();
        if (user.isBlank() || password.isBlank()) {
            throw new IllegalStateException("invalid configuration: ODDSGATE_ADMIN_USER and ODDSGATE_ADMIN_PASSWORD must be set");
        }
        if (Settings.realSecretsRequired(settings) && password.equals(settings.devAdminPassword())) {
            throw new IllegalStateException("invalid configuration: ODDSGATE_ADMIN_PASSWORD must be set to a non-default value in this"
                    + " profile and whenever real venue credentials are configured");
        }
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        return new InMemoryUserDetailsManager(User.withUsername(user).password(encoder.encode(password)).roles("ADMIN").build());
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/hawtio", "/actuator/hawtio/");
    }
}
