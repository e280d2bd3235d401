package com.oddsgate;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class OddsgateApplication {

    public static void main(String[] args) {
        SpringApplication.run(OddsgateApplication.class, args);
    }
}
