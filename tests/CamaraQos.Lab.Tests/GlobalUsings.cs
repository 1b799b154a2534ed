// The agent tests' lab driver; aliased because this project's namespace CamaraQos.Lab hides a type named Lab.
global using TestLab = CamaraQos.Agent.Tests.Control.Lab;
