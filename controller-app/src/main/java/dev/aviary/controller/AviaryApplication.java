package dev.aviary.controller;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Aviary: progressive delivery with sound statistics, inside Kubernetes or out. */
@SpringBootApplication
public class AviaryApplication {

  public static void main(String[] args) {
    SpringApplication.run(AviaryApplication.class, args);
  }
}
