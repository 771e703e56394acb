"""cognito-sso-cdk: single sign-on on Amazon Cognito, declared with the AWS CDK."""
